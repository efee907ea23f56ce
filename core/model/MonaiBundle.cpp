#include "model/MonaiBundle.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

#include "runtime/JsonFile.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Follows MONAI config references: "@a#b" / "$@a#b" (also "::" as separator) from the config root.
// Returns null for anything that cannot be evaluated here (other "$" expressions, "%" macros,
// dangling references).
class ConfigResolver {
 public:
  explicit ConfigResolver(const json& root) : root_(root) {}

  json resolve(const json& value, int depth = 0) const {
    if (!value.is_string() || depth > 16) return value;
    std::string s = value.get<std::string>();
    if (!s.empty() && s[0] == '$') s = s.substr(1);
    if (s.empty() || s[0] != '@')
      return (value.get<std::string>().rfind('$', 0) == 0 || s.rfind('%', 0) == 0) ? json() : value;
    std::string id = s.substr(1);
    for (std::size_t p; (p = id.find("::")) != std::string::npos;) id.replace(p, 2, "#");
    if (id.find_first_of(" ()[]+*/,.") != std::string::npos) return json();  // an expression, not a bare reference
    const json* node = &root_;
    std::size_t start = 0;
    while (start <= id.size()) {
      const std::size_t end = std::min(id.find('#', start), id.size());
      const std::string key = id.substr(start, end - start);
      if (node->is_object() && node->contains(key)) {
        node = &(*node)[key];
      } else if (node->is_array() && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(key) < node->size()) {
        node = &(*node)[std::stoul(key)];
      } else {
        return json();
      }
      start = end + 1;
    }
    return resolve(*node, depth + 1);
  }

  // The value of `key` in object `j`, resolved; null when absent or not evaluable.
  json field(const json& j, const char* key) const {
    return j.is_object() && j.contains(key) ? resolve(j[key]) : json();
  }

 private:
  const json& root_;
};

// Transforms that change nothing Voxplain has to reproduce (loading, channels, types, saving).
const std::set<std::string>& neutralTransforms() {
  static const std::set<std::string> names{"LoadImage",  "EnsureChannelFirst", "AddChannel",  "EnsureType", "ToTensor",
                                           "ToNumpy",    "CastToType",         "ConcatItems", "Identity",   "ToDevice",
                                           "CopyItems",  "DeleteItems",        "SelectItems", "SaveImage",  "Invert",
                                           "SqueezeDim", "FromMetaTensor",     "ToMetaTensor"};
  return names;
}

// Transforms and inferers read here.
const std::set<std::string>& interpretedTransforms() {
  static const std::set<std::string> names{
      "Orientation",    "Spacing",     "NormalizeIntensity", "ScaleIntensityRange",  "ScaleIntensityRangePercentiles",
      "ScaleIntensity", "Activations", "AsDiscrete",         "SlidingWindowInferer", "SimpleInferer"};
  return names;
}

// "monai.transforms.NormalizeIntensityd" -> "NormalizeIntensity": the dictionary suffix (d, D, Dict)
// is dropped for the transforms known here; any other name is kept as written (for notes).
std::string transformName(const std::string& target) {
  std::string name = target.substr(target.rfind('.') == std::string::npos ? 0 : target.rfind('.') + 1);
  for (const char* suffix : {"Dict", "D", "d", ""}) {
    const std::string s(suffix);
    if (name.size() <= s.size() || name.compare(name.size() - s.size(), s.size(), s) != 0) continue;
    std::string base = name.substr(0, name.size() - s.size());
    if (neutralTransforms().count(base) || interpretedTransforms().count(base)) return base;
  }
  return name;
}

// Does a transform touch the image (or prediction)? Keys naming only labels do not.
bool appliesToImage(const json& keys) {
  static const std::set<std::string> labelKeys{"label", "labels", "seg", "mask", "gt", "ground_truth"};
  std::vector<std::string> names;
  if (keys.is_string()) names.push_back(keys.get<std::string>());
  if (keys.is_array())
    for (const json& k : keys)
      if (k.is_string()) names.push_back(k.get<std::string>());
  if (names.empty()) return true;
  for (const std::string& n : names)
    if (!labelKeys.count(n)) return true;
  return false;
}

class InferenceConfigReader {
 public:
  InferenceConfigReader(ModelManifest& m, const json& root, std::string source)
      : m_(m), r_(root), source_(std::move(source)) {}

  void inferer(const json& inferer) {
    const json target = r_.field(inferer, "_target_");
    const std::string name = target.is_string() ? transformName(target.get<std::string>()) : "";
    if (name == "SimpleInferer") {
      m_.patchSize = {1 << 20, 1 << 20, 1 << 20};  // clipped to the volume: one pass over all of it
      m_.windowFit = ModelManifest::WindowFit::ClipToVolume;
      m_.patchDeclared = true;
      return;
    }
    if (name != "SlidingWindowInferer") {
      note("inferer " + (name.empty() ? std::string("(unnamed)") : name) +
           " not interpreted: MONAI's SlidingWindowInferer defaults used");
      return;
    }
    const json roi = r_.field(inferer, "roi_size");
    if (roi.is_array() && roi.size() == 3) {
      for (int d = 0; d < 3; ++d) {
        const json v = r_.resolve(roi[std::size_t(d)]);
        if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 4096)
          fail("inferer.roi_size", "must be 3 integers from 1 to 4096");
        m_.patchSize[std::size_t(d)] = v.get<int>();
      }
      m_.patchDeclared = true;
    } else if (roi.is_number_integer() && roi.get<long long>() > 0 && roi.get<long long>() <= 4096) {
      m_.patchSize = {roi.get<int>(), roi.get<int>(), roi.get<int>()};
      m_.patchDeclared = true;
    } else if (!roi.is_null()) {
      fail("inferer.roi_size", "must be 3 positive integers");
    }
    m_.overlap = scalar(r_.field(inferer, "overlap"), "inferer.overlap", 0.25);
    if (m_.overlap < 0 || m_.overlap >= 1) fail("inferer.overlap", "must be in [0, 1)");
    const json mode = r_.field(inferer, "mode");
    m_.blend = mode.is_string() ? mode.get<std::string>() : "constant";
    if (m_.blend != "gaussian" && m_.blend != "constant") fail("inferer.mode", "must be constant or gaussian");
    m_.gaussianSigmaScale = scalar(r_.field(inferer, "sigma_scale"), "inferer.sigma_scale", 0.125);
    if (!(m_.gaussianSigmaScale > 0)) fail("inferer.sigma_scale", "must be positive");
    const json padding = r_.field(inferer, "padding_mode");
    const json cval = r_.field(inferer, "cval");
    if ((padding.is_string() && padding.get<std::string>() != "constant") ||
        (cval.is_number() && cval.get<double>() != 0.0))
      note("inferer padding_mode/cval other than constant 0 not applied: the volume is padded with zeros");
    for (const char* ignored : {"roi_weight_map", "cpu_thresh", "buffer_steps", "with_coord"})
      if (inferer.is_object() && inferer.contains(ignored)) note(std::string("inferer.") + ignored + " not applied");
  }

  void transforms(const json& compose, const std::string& stage) {
    json list = r_.resolve(compose);
    if (list.is_object()) list = r_.field(list, "transforms");
    if (!list.is_array()) {
      if (!compose.is_null()) note(stage + " not interpreted (not a Compose of transforms)");
      return;
    }
    for (const json& item : list) transform(r_.resolve(item), stage);
  }

  void finish() {
    if (!activationSeen_) note("no Activations in postprocessing: " + m_.activation + " assumed for the probabilities");
    if (!notApplied_.empty()) {
      std::string list;
      for (const std::string& t : notApplied_) list += (list.empty() ? "" : ", ") + t;
      note("not applied: " + list);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
    throw InputError(source_, field + ": " + reason);
  }
  void note(const std::string& text) {
    m_.notes.push_back("MONAI bundle " + fs::path(source_).filename().string() + ": " + text);
  }

  double scalar(const json& v, const std::string& field, double fallback) const {
    if (v.is_null()) return fallback;
    if (v.is_number()) return v.get<double>();
    if (v.is_array() && !v.empty() && v[0].is_number()) {
      for (const json& e : v)
        if (!e.is_number() || e.get<double>() != v[0].get<double>())
          fail(field, "per-axis values must be equal (Voxplain uses one value)");
      return v[0].get<double>();
    }
    fail(field, "must be a number");
  }
  double number(const json& t, const char* key, double fallback, const std::string& name) const {
    return scalar(r_.field(t, key), name + "." + key, fallback);
  }
  bool flag(const json& t, const char* key, bool fallback) const {
    const json v = r_.field(t, key);
    return v.is_boolean() ? v.get<bool>() : fallback;
  }
  void setAllInputs(const Normalization& n) {
    for (ModelInput& in : m_.inputs) in.normalization = n;
  }

  void transform(const json& t, const std::string& stage) {
    const json target = r_.field(t, "_target_");
    if (!target.is_string()) {
      notApplied_.push_back("an unreadable " + stage + " transform");
      return;
    }
    const std::string name = transformName(target.get<std::string>());
    if (!appliesToImage(r_.field(t, "keys"))) return;
    if (neutralTransforms().count(name)) return;
    if (name == "Orientation") {
      const json codes = r_.field(t, "axcodes");
      if (!codes.is_string() || codes.get<std::string>().size() != 3) {
        notApplied_.push_back("Orientation without 3-letter axcodes");
        return;
      }
      m_.orientation = codes.get<std::string>();
    } else if (name == "Spacing") {
      const json pix = r_.field(t, "pixdim");
      std::array<double, 3> spacing{};
      for (int d = 0; d < 3; ++d) {
        const json v =
            pix.is_array() ? (pix.size() > std::size_t(d) ? r_.resolve(pix[std::size_t(d)]) : pix.back()) : pix;
        if (!v.is_number()) fail(stage + ".Spacing.pixdim", "must be numbers");
        spacing[std::size_t(d)] = v.get<double>();
      }
      if (spacing[0] <= 0 || spacing[1] <= 0 || spacing[2] <= 0) {
        notApplied_.push_back("Spacing with a non-positive pixdim (keep-spacing axes)");
        return;
      }
      m_.spacing = spacing;
      const json mode = r_.field(t, "mode");
      if (mode.is_string() && mode.get<std::string>() != "bilinear")
        note("Spacing mode " + mode.get<std::string>() + " replaced by linear interpolation");
    } else if (name == "NormalizeIntensity") {
      if (!r_.field(t, "subtrahend").is_null() || !r_.field(t, "divisor").is_null()) {
        notApplied_.push_back("NormalizeIntensity with subtrahend/divisor");
        return;
      }
      Normalization n;
      n.type = flag(t, "nonzero", false) ? Normalization::Type::ZScoreNonZero : Normalization::Type::ZScore;
      n.joint = !flag(t, "channel_wise", false) && m_.inputs.size() > 1;
      setAllInputs(n);
    } else if (name == "ScaleIntensityRange") {
      Normalization n;
      n.type = Normalization::Type::ClipScale;
      n.aMin = number(t, "a_min", 0.0, name);
      n.aMax = number(t, "a_max", 1.0, name);
      n.bMin = number(t, "b_min", 0.0, name);
      n.bMax = number(t, "b_max", 1.0, name);
      n.clip = flag(t, "clip", false);
      if (!(n.aMax > n.aMin)) fail(stage + ".ScaleIntensityRange.a_max", "must be greater than a_min");
      setAllInputs(n);
    } else if (name == "ScaleIntensityRangePercentiles" || name == "ScaleIntensity") {
      if (flag(t, "relative", false) || !r_.field(t, "factor").is_null() || flag(t, "channel_wise", false)) {
        notApplied_.push_back(name + " with relative/factor/channel_wise");
        return;
      }
      Normalization n;
      n.type = Normalization::Type::Percentile;
      const bool percentiles = name == "ScaleIntensityRangePercentiles";
      n.lower = percentiles ? number(t, "lower", 0.0, name) : 0.0;
      n.upper = percentiles ? number(t, "upper", 100.0, name) : 100.0;
      n.bMin = number(t, percentiles ? "b_min" : "minv", 0.0, name);
      n.bMax = number(t, percentiles ? "b_max" : "maxv", 1.0, name);
      n.clip = percentiles && flag(t, "clip", false);
      if (!(n.lower >= 0 && n.upper <= 100 && n.lower < n.upper))
        fail(stage + "." + name, "needs 0 <= lower < upper <= 100");
      setAllInputs(n);
    } else if (name == "Activations") {
      activationSeen_ = true;
      if (flag(t, "softmax", false))
        m_.activation = "softmax";
      else if (flag(t, "sigmoid", false))
        m_.activation = "sigmoid";
      else
        m_.activation = "none";
    } else if (name == "AsDiscrete") {
      const json threshold = r_.field(t, "threshold");
      if (threshold.is_number() && threshold.get<double>() != 0.5)
        note("AsDiscrete threshold " + threshold.dump() + " replaced by 0.5");
    } else {
      notApplied_.push_back(name);
    }
  }

  ModelManifest& m_;
  ConfigResolver r_;
  std::string source_;
  std::vector<std::string> notApplied_;
  bool activationSeen_ = false;
};

}  // namespace

void applyMonaiInferenceConfig(ModelManifest& m, const json& inference, const std::string& source) {
  if (!inference.is_object()) throw InputError(source, "(top level): must be a JSON object");
  // MONAI's SlidingWindowInferer: pads a smaller volume to the roi, floors the Gaussian at 1e-3.
  m.windowFit = ModelManifest::WindowFit::PadToWindow;
  m.importanceFloor = 1e-3;
  m.blend = "constant";
  InferenceConfigReader reader(m, inference, source);
  if (inference.contains("inferer"))
    reader.inferer(ConfigResolver(inference).resolve(inference["inferer"]));
  else
    m.notes.push_back("MONAI bundle " + fs::path(source).filename().string() +
                      ": no inferer: MONAI's SlidingWindowInferer defaults used");
  reader.transforms(inference.contains("preprocessing") ? inference["preprocessing"] : json(), "preprocessing");
  reader.transforms(inference.contains("postprocessing") ? inference["postprocessing"] : json(), "postprocessing");
  reader.finish();
}

ModelManifest manifestFromMonaiBundle(const fs::path& folder, const fs::path& modelFile) {
  const fs::path metadata = folder / "configs" / "metadata.json";
  ModelManifest m = manifestFromMonaiMetadata(readJsonFile(metadata), modelFile, metadata.string());
  const fs::path inference = folder / "configs" / "inference.json";
  std::error_code ec;
  if (fs::exists(inference, ec)) {
    applyMonaiInferenceConfig(m, readJsonFile(inference), inference.string());
  } else {
    m.windowFit = ModelManifest::WindowFit::PadToWindow;
    m.importanceFloor = 1e-3;
    m.blend = "constant";
    m.notes.push_back(
        "MONAI bundle without configs/inference.json (configs/inference.yaml is not read): MONAI's "
        "SlidingWindowInferer defaults on the metadata's spatial_shape, inputs used without normalisation");
  }
  return m;
}

}  // namespace voxplain
