#include "attribution/Target.h"

#include <algorithm>

#include <cmath>
#include <sstream>

#include "analysis/ConnectedComponents.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

std::vector<double> numbers(const std::string& list, const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    try {
      std::size_t used = 0;
      out.push_back(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw InputError(InputField::Target, text, "'" + item + "' is not a number");
    }
  }
  return out;
}

}  // namespace

TargetSpec TargetSpec::parse(const std::string& text, int defaultLabel) {
  TargetSpec t;
  t.label = defaultLabel;
  std::stringstream parts(text);
  std::string main;
  std::getline(parts, main, ';');
  for (std::string extra; std::getline(parts, extra, ';');) {
    if (extra.rfind("label=", 0) == 0)
      t.label = int(numbers(extra.substr(6), text).at(0));
    else if (extra == "score=probability")
      t.probability = true;
    else if (extra == "score=logit")
      t.probability = false;
    else
      throw InputError(InputField::Target, text, "unknown option '" + extra + "' (label=N, score=logit|probability)");
  }
  const auto eq = main.find('=');
  const std::string kind = main.substr(0, eq), value = eq == std::string::npos ? "" : main.substr(eq + 1);
  if (kind == "class") {
    t.kind = Kind::Class;
    if (!value.empty()) t.label = int(numbers(value, text).at(0));
  } else if (kind == "instance") {
    if (value == "all")
      t.kind = Kind::AllInstances;
    else {
      t.kind = Kind::Instance;
      t.instance = int(numbers(value, text).at(0));
      if (t.instance < 1) throw InputError(InputField::Target, text, "instances are numbered from 1");
    }
  } else if (kind == "roi") {
    std::string list = value;
    if (list.size() > 3 && list.substr(list.size() - 3) == ",mm") {
      t.boxInMm = true;
      list.resize(list.size() - 3);
    }
    const auto v = numbers(list, text);
    if (v.size() != 6) throw InputError(InputField::Target, text, "roi needs x0,y0,z0,x1,y1,z1");
    for (int i = 0; i < 6; ++i) t.box[std::size_t(i)] = v[std::size_t(i)];
  } else if (kind == "voxel") {
    const auto v = numbers(value, text);
    if (v.size() != 3) throw InputError(InputField::Target, text, "voxel needs x,y,z");
    for (int i = 0; i < 3; ++i) t.voxel[std::size_t(i)] = long(v[std::size_t(i)]);
    t.kind = Kind::Voxel;
  } else {
    throw InputError(InputField::Target, text,
                     "must be class=N, instance=all|K, roi=x0,y0,z0,x1,y1,z1[,mm] or voxel=x,y,z");
  }
  if (kind == "roi") t.kind = Kind::Roi;
  return t;
}

TargetSpec TargetSpec::ofClass(int label) {
  TargetSpec t;
  t.label = label;
  return t;
}

TargetSpec TargetSpec::allInstances(int label) {
  TargetSpec t = ofClass(label);
  t.kind = Kind::AllInstances;
  return t;
}

TargetSpec TargetSpec::atVoxel(int label, const std::array<long, 3>& index) {
  TargetSpec t = ofClass(label);
  t.kind = Kind::Voxel;
  t.voxel = index;
  return t;
}

TargetSpec TargetSpec::inBoxMm(int label, const std::array<double, 3>& from, const std::array<double, 3>& to) {
  TargetSpec t = ofClass(label);
  t.kind = Kind::Roi;
  t.boxInMm = true;
  for (std::size_t a = 0; a < 3; ++a) {
    t.box[a] = std::min(from[a], to[a]);
    t.box[a + 3] = std::max(from[a], to[a]);
  }
  return t;
}

std::string TargetSpec::describe() const {
  std::ostringstream d;
  const std::string score = probability ? "probability" : "logit";
  switch (kind) {
    case Kind::Class:
      d << "class " << label << " (sum of the " << score << " over voxels predicted as " << label << ")";
      break;
    case Kind::Instance:
      d << "instance " << instance << " of class " << label;
      break;
    case Kind::AllInstances:
      d << "every instance of class " << label;
      break;
    case Kind::Roi:
      d << "roi [" << box[0] << "," << box[1] << "," << box[2] << "]-[" << box[3] << "," << box[4] << "," << box[5]
        << "]" << (boxInMm ? " mm" : " voxels") << ", class " << label;
      break;
    case Kind::Voxel:
      d << "voxel (" << voxel[0] << "," << voxel[1] << "," << voxel[2] << "), class " << label;
      break;
  }
  return d.str();
}

std::vector<TargetRegion> targetRegions(const TargetSpec& spec, const LabelVolume& predicted, const Geometry& study) {
  const Geometry& g = predicted.geometry();
  const std::size_t n = g.voxelCount();
  std::vector<TargetRegion> out;
  auto finish = [&](TargetRegion r) {
    for (float w : r.weights) r.voxels += w > 0;
    out.push_back(std::move(r));
  };
  if (spec.kind == TargetSpec::Kind::Class || spec.kind == TargetSpec::Kind::Instance ||
      spec.kind == TargetSpec::Kind::AllInstances) {
    std::vector<std::uint8_t> mask(n);
    for (std::size_t i = 0; i < n; ++i) mask[i] = predicted.data()[i] == spec.label;
    if (spec.kind == TargetSpec::Kind::Class) {
      TargetRegion r;
      r.weights.assign(mask.begin(), mask.end());
      finish(std::move(r));
    } else {
      const Components c = connectedComponents(mask, g.size, 26);
      if (spec.kind == TargetSpec::Kind::Instance && spec.instance > c.count())
        throw InputError(InputField::Target, "instance=" + std::to_string(spec.instance),
                         "class " + std::to_string(spec.label) + " has " + std::to_string(c.count()) + " instance(s)");
      for (int k = 1; k <= c.count(); ++k) {
        if (spec.kind == TargetSpec::Kind::Instance && k != spec.instance) continue;
        TargetRegion r;
        r.suffix = "instance" + std::to_string(k);
        r.weights.resize(n);
        for (std::size_t i = 0; i < n; ++i) r.weights[i] = c.labels[i] == k ? 1.0f : 0.0f;
        finish(std::move(r));
      }
    }
  } else {
    // ROI / voxel: given on the study grid; select model-grid voxels whose centres fall inside.
    Vec3 lo, hi;
    if (spec.kind == TargetSpec::Kind::Voxel) {
      for (int d = 0; d < 3; ++d) lo[d] = hi[d] = double(spec.voxel[std::size_t(d)]);
    } else {
      for (int d = 0; d < 3; ++d) {
        lo[d] = std::min(spec.box[std::size_t(d)], spec.box[std::size_t(d) + 3]);
        hi[d] = std::max(spec.box[std::size_t(d)], spec.box[std::size_t(d) + 3]);
      }
    }
    TargetRegion r;
    r.weights.assign(n, 0.0f);
    for (std::size_t k = 0; k < g.size[2]; ++k)
      for (std::size_t j = 0; j < g.size[1]; ++j)
        for (std::size_t i = 0; i < g.size[0]; ++i) {
          const Vec3 p = g.indexToPhysical({double(i), double(j), double(k)});
          const Vec3 q = spec.boxInMm ? p : study.physicalToIndex(p);
          bool inside = true;
          for (int d = 0; d < 3; ++d) inside = inside && q[d] >= lo[d] - 0.5 && q[d] <= hi[d] + 0.5;
          if (spec.boxInMm && inside) {
            // mm boxes are inclusive at the voxel centres
            for (int d = 0; d < 3; ++d) inside = inside && q[d] >= lo[d] && q[d] <= hi[d];
          }
          if (inside) r.weights[g.linearIndex(i, j, k)] = 1.0f;
        }
    finish(std::move(r));
  }
  for (const TargetRegion& r : out)
    if (r.voxels == 0)
      throw InputError(InputField::Target, "",
                       "the target " + spec.describe() + " is empty (nothing predicted there, or outside the volume)");
  if (out.empty())
    throw InputError(InputField::Target, "", "no instance of class " + std::to_string(spec.label) + " was predicted");
  return out;
}

}  // namespace voxplain
