#include "model/ModelManifest.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "runtime/JsonFields.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Normalization parseNormalization(const json& j, const std::string& field, const FieldReader& r) {
  Normalization n;
  if (j.is_null()) return n;
  const std::string type = r.string(r.require(j, "type", field + "."), field + ".type");
  auto num = [&](const char* key, double fallback) {
    return j.contains(key) ? r.number(j[key], field + "." + key) : fallback;
  };
  auto flag = [&](const char* key, bool fallback) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_boolean()) r.fail(field + "." + key, "must be true or false");
    return j[key].get<bool>();
  };
  if (type == "none")
    n.type = Normalization::Type::None;
  else if (type == "zscore_nonzero" || type == "zscore") {
    n.type = type == "zscore" ? Normalization::Type::ZScore : Normalization::Type::ZScoreNonZero;
    n.joint = flag("joint", false);
  } else if (type == "clip_scale") {
    n.type = Normalization::Type::ClipScale;
    n.aMin = r.number(r.require(j, "a_min", field + "."), field + ".a_min");
    n.aMax = r.number(r.require(j, "a_max", field + "."), field + ".a_max");
    n.bMin = num("b_min", 0.0);
    n.bMax = num("b_max", 1.0);
    n.clip = flag("clip", true);
    if (!(n.aMax > n.aMin)) r.fail(field + ".a_max", "must be greater than a_min");
  } else if (type == "percentile") {
    n.type = Normalization::Type::Percentile;
    n.lower = num("lower", 0.5);
    n.upper = num("upper", 99.5);
    n.bMin = num("b_min", 0.0);
    n.bMax = num("b_max", 1.0);
    n.clip = flag("clip", true);
    if (!(n.lower >= 0 && n.upper <= 100 && n.lower < n.upper)) r.fail(field, "needs 0 <= lower < upper <= 100");
  } else {
    r.fail(field + ".type",
           "unknown normalisation '" + type + "' (none, zscore_nonzero, zscore, clip_scale, percentile)");
  }
  return n;
}

}  // namespace

int ModelManifest::channelOfLabel(int value) const {
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i].value == value) return int(i);
  return -1;
}

ModelManifest parseManifest(const json& j, const fs::path& base, const std::string& source) {
  const FieldReader r(source);
  if (!j.is_object()) r.fail("(top level)", "must be a JSON object");
  ModelManifest m;
  if (j.contains("name")) m.name = r.string(j["name"], "name");
  if (j.contains("version"))
    m.version = j["version"].is_string() ? j["version"].get<std::string>() : j["version"].dump();
  if (j.contains("description")) m.description = r.string(j["description"], "description");
  const fs::path model = r.string(r.require(j, "model", ""), "model");
  m.modelFile = model.is_absolute() ? model : base / model;
  if (j.contains("sha256")) {
    m.sha256 = r.string(j["sha256"], "sha256");
    if (m.sha256.size() != 64 || m.sha256.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      r.fail("sha256", "must be 64 hexadecimal digits");
  }
  const json& inputs = r.require(j, "inputs", "");
  if (!inputs.is_array() || inputs.empty()) r.fail("inputs", "must be a non-empty array");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string field = "inputs[" + std::to_string(i) + "]";
    ModelInput in;
    in.name = r.string(r.require(inputs[i], "name", field + "."), field + ".name");
    if (inputs[i].contains("normalization"))
      in.normalization = parseNormalization(inputs[i]["normalization"], field + ".normalization", r);
    m.inputs.push_back(in);
  }
  if (j.contains("spacing") && !j["spacing"].is_null()) m.spacing = r.positives<3>(j["spacing"], "spacing");
  if (j.contains("orientation") && !j["orientation"].is_null()) {
    m.orientation = r.string(j["orientation"], "orientation");
    if (m.orientation.size() != 3) r.fail("orientation", "must be three letters such as RAS or LPS");
  }
  if (j.contains("layout")) {
    m.layout = r.string(j["layout"], "layout");
    if (m.layout != "NCXYZ" && m.layout != "NCZYX") r.fail("layout", "must be NCXYZ or NCZYX");
  }
  if (j.contains("sliding_window")) {
    const json& sw = j["sliding_window"];
    if (sw.contains("patch_size")) {
      const auto p = r.positives<3>(sw["patch_size"], "sliding_window.patch_size");
      for (int d = 0; d < 3; ++d) {
        if (p[d] != std::floor(p[d])) r.fail("sliding_window.patch_size", "must be 3 positive integers");
        m.patchSize[d] = int(p[d]);
      }
      m.patchDeclared = true;
    }
    if (sw.contains("divisible_by")) {
      const json& k = sw["divisible_by"];
      const auto p = k.is_array() ? r.positives<3>(k, "sliding_window.divisible_by")
                                  : std::array<double, 3>{r.number(k, "sliding_window.divisible_by"), 0, 0};
      for (int d = 0; d < 3; ++d) {
        const double v = k.is_array() ? p[d] : p[0];
        if (v < 1 || v > 1024 || v != std::floor(v))
          r.fail("sliding_window.divisible_by", "must be an integer 1..1024 or 3 of them");
        m.divisibleBy[d] = int(v);
      }
    }
    if (sw.contains("fit")) {
      const std::string fit = r.string(sw["fit"], "sliding_window.fit");
      if (fit == "clip")
        m.windowFit = ModelManifest::WindowFit::ClipToVolume;
      else if (fit == "pad")
        m.windowFit = ModelManifest::WindowFit::PadToWindow;
      else
        r.fail("sliding_window.fit",
               "must be clip (the window is clipped to a smaller volume) or pad (the volume is padded to the window)");
    }
    if (sw.contains("overlap")) {
      m.overlap = r.number(sw["overlap"], "sliding_window.overlap");
      if (m.overlap < 0 || m.overlap >= 1) r.fail("sliding_window.overlap", "must be in [0, 1)");
    }
    if (sw.contains("blend")) {
      m.blend = r.string(sw["blend"], "sliding_window.blend");
      if (m.blend != "gaussian" && m.blend != "constant")
        r.fail("sliding_window.blend", "must be gaussian or constant");
    }
    if (sw.contains("sigma_scale")) {
      m.gaussianSigmaScale = r.number(sw["sigma_scale"], "sliding_window.sigma_scale");
      if (!(m.gaussianSigmaScale > 0)) r.fail("sliding_window.sigma_scale", "must be positive");
    }
    if (sw.contains("importance_floor")) {
      m.importanceFloor = r.number(sw["importance_floor"], "sliding_window.importance_floor");
      if (m.importanceFloor < 0 || m.importanceFloor >= 1)
        r.fail("sliding_window.importance_floor", "must be in [0, 1)");
    }
    if (sw.contains("batch_size")) {
      m.maxBatchSize = r.integer(sw["batch_size"], "sliding_window.batch_size");
      if (m.maxBatchSize < 1 || m.maxBatchSize > 1024) r.fail("sliding_window.batch_size", "must be 1..1024");
    }
  }
  if (j.contains("output")) {
    const json& out = j["output"];
    if (out.contains("activation")) {
      m.activation = r.string(out["activation"], "output.activation");
      if (m.activation != "softmax" && m.activation != "sigmoid" && m.activation != "none")
        r.fail("output.activation", "must be softmax, sigmoid or none");
    }
  }
  if (j.contains("labels")) {
    const json& labels = j["labels"];
    if (!labels.is_array()) r.fail("labels", "must be an array");
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const std::string field = "labels[" + std::to_string(i) + "]";
      LabelInfo l;
      l.value = r.integer(r.require(labels[i], "value", field + "."), field + ".value");
      l.name = labels[i].contains("name") ? r.string(labels[i]["name"], field + ".name")
                                          : "label " + std::to_string(l.value);
      if (labels[i].contains("color")) {
        const json& c = labels[i]["color"];
        if (!c.is_array() || c.size() != 3) r.fail(field + ".color", "must be [r, g, b] with 0..255");
        for (int k = 0; k < 3; ++k) {
          l.color[k] = r.integer(c[k], field + ".color");
          if (l.color[k] < 0 || l.color[k] > 255) r.fail(field + ".color", "must be [r, g, b] with 0..255");
        }
      }
      if (m.channelOfLabel(l.value) >= 0) r.fail(field + ".value", "duplicate label value " + std::to_string(l.value));
      m.labels.push_back(l);
    }
  }
  if (j.contains("layers")) {
    const json& layers = j["layers"];
    if (!layers.is_object()) r.fail("layers", "must map group names to arrays of submodule names");
    for (auto it = layers.begin(); it != layers.end(); ++it) {
      if (!it.value().is_array()) r.fail("layers." + it.key(), "must be an array of submodule names");
      for (const json& name : it.value()) m.layerGroups[it.key()].push_back(r.string(name, "layers." + it.key()));
    }
  }
  return m;
}

ModelManifest manifestFromMonaiMetadata(const json& metadata, const fs::path& modelFile, const std::string& source) {
  const FieldReader r(source);
  ModelManifest m;
  m.modelFile = modelFile;
  // The bundle's name: metadata "name" (newer bundles), else its "task" (the model zoo's older
  // bundles), else the bundle's folder (<bundle>/models/model.ts).
  const auto text = [&metadata](const char* key) {
    return metadata.contains(key) && metadata[key].is_string() ? metadata[key].get<std::string>() : std::string();
  };
  const std::string folderName = modelFile.parent_path().parent_path().filename().string();
  m.name = !text("name").empty()   ? text("name")
           : !text("task").empty() ? text("task")
           : !folderName.empty()   ? folderName
                                   : m.name;
  m.version = text("version");
  m.description = text("description");
  const json& format = r.require(metadata, "network_data_format", "");
  const json& inputs = r.require(format, "inputs", "network_data_format.");
  const json& image = r.require(inputs, "image", "network_data_format.inputs.");
  // Bounded: a count of 10^14 channels or classes must fail at once, not make 10^14 entries.
  const int channels = image.contains("num_channels")
                           ? r.integer(image["num_channels"], "network_data_format.inputs.image.num_channels", 1, 256)
                           : 1;
  std::vector<std::string> names;
  if (image.contains("channel_def") && image["channel_def"].is_object())
    for (int c = 0; c < channels; ++c) {
      const std::string key = std::to_string(c);
      names.push_back(image["channel_def"].contains(key) && image["channel_def"][key].is_string()
                          ? image["channel_def"][key].get<std::string>()
                          : "channel" + key);
    }
  for (int c = 0; c < channels; ++c)
    m.inputs.push_back({c < int(names.size()) ? names[c] : "channel" + std::to_string(c), {}});
  if (image.contains("spatial_shape") && image["spatial_shape"].is_array() && image["spatial_shape"].size() == 3) {
    for (int d = 0; d < 3; ++d)
      if (image["spatial_shape"][d].is_number_integer() && image["spatial_shape"][d].get<long long>() > 0 &&
          image["spatial_shape"][d].get<long long>() <= 4096) {
        m.patchSize[d] = image["spatial_shape"][d].get<int>();
        m.patchDeclared = true;
      }
  }
  const json& outputs = r.require(format, "outputs", "network_data_format.");
  const json& pred = r.require(outputs, "pred", "network_data_format.outputs.");
  const int classes = pred.contains("num_channels")
                          ? r.integer(pred["num_channels"], "network_data_format.outputs.pred.num_channels", 1, 65535)
                          : 2;
  for (int c = 0; c < classes; ++c) {
    LabelInfo l;
    l.value = c;
    const std::string key = std::to_string(c);
    l.name = pred.contains("channel_def") && pred["channel_def"].contains(key) && pred["channel_def"][key].is_string()
                 ? pred["channel_def"][key].get<std::string>()
                 : "label " + key;
    m.labels.push_back(l);
  }
  return m;
}

ModelManifest defaultManifest(const fs::path& modelFile, const std::vector<std::string>& inputNames) {
  ModelManifest m;
  m.name = modelFile.filename().string();
  m.modelFile = modelFile;
  for (const std::string& n : inputNames) m.inputs.push_back({n, {}});
  m.notes.push_back(
      "no manifest beside the model: inputs are used as they are (no normalisation, no resampling), "
      "one channel per input in the order given, sliding window 128^3 clipped to a smaller volume, "
      "softmax over channels, labels 0..C-1");
  return m;
}

}  // namespace voxplain
