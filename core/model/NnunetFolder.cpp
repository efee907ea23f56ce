#include "model/NnunetFolder.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "model/Sha256.h"
#include "runtime/JsonFile.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {

bool hasPlans(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "plans.json", ec) && fs::is_regular_file(folder / "dataset.json", ec);
}

/// The folder's own name, a trailing separator ignored.
std::string folderName(const fs::path& folder) {
  return (folder.filename().empty() ? folder.parent_path() : folder).filename().string();
}

/// The configuration a trainer folder's name ends with (Trainer__Plans__configuration); empty when
/// the name has no "__".
std::string configurationSuffix(const fs::path& folder) {
  const std::string name = folderName(folder);
  const std::size_t last = name.rfind("__");
  return last == std::string::npos ? std::string() : name.substr(last + 2);
}

/// The configuration a trainer folder holds: its name's suffix, else nnU-Net's default 3d_fullres.
std::string folderConfiguration(const fs::path& folder) {
  const std::string suffix = configurationSuffix(folder);
  return suffix.empty() ? std::string("3d_fullres") : suffix;
}

/// The folds (fold_N) of a trainer folder that hold `checkpoint`, ascending.
std::vector<int> trainedFolds(const fs::path& folder, const std::string& checkpoint) {
  static const std::regex foldName("fold_([0-9]+)");
  std::vector<int> folds;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, foldName) && fs::exists(entry.path() / checkpoint, ec))
      folds.push_back(std::stoi(match[1]));
  }
  std::sort(folds.begin(), folds.end());
  return folds;
}

/// Trainer folders (Trainer__Plans__configuration) below a dataset folder, by configuration.
std::map<std::string, std::vector<fs::path>> trainerFolders(const fs::path& dataset) {
  std::map<std::string, std::vector<fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dataset, ec)) {
    const std::string configuration = configurationSuffix(entry.path());
    if (!entry.is_directory(ec) || configuration.empty() || !hasPlans(entry.path())) continue;
    found[configuration].push_back(entry.path());
  }
  for (auto& [configuration, folders] : found) std::sort(folders.begin(), folders.end());
  return found;
}

const nlohmann::json& field(const nlohmann::json& object, const std::string& key, const fs::path& file) {
  if (!object.is_object() || !object.contains(key)) throw InputError(file.string(), key + ": missing");
  return object.at(key);
}

/// The configuration with what it inherits_from filled in (nnU-Net's ConfigurationManager).
nlohmann::json configurationOf(const nlohmann::json& plans, const std::string& name, const fs::path& file,
                               int depth = 0) {
  const nlohmann::json& all = field(plans, "configurations", file);
  if (!all.contains(name)) {
    std::string known;
    for (const auto& [key, value] : all.items()) known += (known.empty() ? "" : ", ") + key;
    throw InputError(file.string(), "configurations: no " + name + " (the plans have " + known + ")");
  }
  nlohmann::json configuration = all.at(name);
  const std::string parent = configuration.value("inherits_from", nlohmann::json()).is_string()
                                 ? configuration["inherits_from"].get<std::string>()
                                 : std::string();
  if (parent.empty()) return configuration;
  if (depth > 8) throw InputError(file.string(), "configurations: " + name + " inherits in a circle");
  nlohmann::json merged = configurationOf(plans, parent, file, depth + 1);
  for (const auto& [key, value] : configuration.items()) merged[key] = value;
  return merged;
}

template <typename T>
std::array<T, 3> triple(const nlohmann::json& value, const std::string& what, const fs::path& file) {
  if (!value.is_array() || value.size() != 3)
    throw InputError(file.string(), what + ": must hold 3 values (only 3D configurations are supported)");
  return {value[0].get<T>(), value[1].get<T>(), value[2].get<T>()};
}

/// Array-order [Z, Y, X] value of an axis-wise plans entry given in transposed order.
template <typename T>
std::array<T, 3> untransposed(const std::array<T, 3>& transposed, const std::array<int, 3>& forward) {
  std::array<T, 3> zyx{};
  for (int i = 0; i < 3; ++i) zyx[std::size_t(forward[std::size_t(i)])] = transposed[std::size_t(i)];
  return zyx;
}

Normalization normalizationOf(const std::string& scheme, bool useMask, const nlohmann::json& properties,
                              const fs::path& file, std::size_t channel) {
  Normalization n;
  const std::string where = "channel " + std::to_string(channel) + " (" + scheme + ")";
  if (scheme == "ZScoreNormalization") {
    n.type = useMask ? Normalization::Type::ZScoreNonZero : Normalization::Type::ZScore;
  } else if (scheme == "CTNormalization") {
    if (!properties.is_object())
      throw InputError(file.string(), "foreground_intensity_properties_per_channel: no entry for " + where);
    const double mean = field(properties, "mean", file).get<double>();
    const double sd = std::max(field(properties, "std", file).get<double>(), 1e-8);
    n.type = Normalization::Type::ClipScale;
    n.aMin = field(properties, "percentile_00_5", file).get<double>();
    n.aMax = field(properties, "percentile_99_5", file).get<double>();
    if (!(n.aMax > n.aMin))
      throw InputError(file.string(), "foreground percentiles of " + where + " are not increasing");
    // clip, then (x - mean) / sd: linear on [aMin, aMax], so a ClipScale onto the mapped ends.
    n.bMin = (n.aMin - mean) / sd;
    n.bMax = (n.aMax - mean) / sd;
    n.clip = true;
  } else if (scheme == "NoNormalization") {
    n.type = Normalization::Type::None;
  } else if (scheme == "RescaleTo01Normalization") {
    n.type = Normalization::Type::Percentile;  // percentiles 0 and 100 are the minimum and maximum
    n.lower = 0.0, n.upper = 100.0, n.bMin = 0.0, n.bMax = 1.0;
  } else {
    throw InputError(file.string(), "normalization_schemes: " + where +
                                        " is not supported (CTNormalization, "
                                        "ZScoreNormalization, NoNormalization and RescaleTo01Normalization are)");
  }
  return n;
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path exporterScript() {
  if (const char* env = std::getenv("VOXPLAIN_NNUNET_EXPORTER")) return env;
  std::error_code ec;
  // Installed beside the executable (<prefix>/bin/.. /share/voxplain/nnunet), whatever the prefix.
  const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = executable.parent_path().parent_path() / "share" / "voxplain" / "nnunet" / "nnunet_export.py";
    if (fs::exists(beside, ec)) return beside;
  }
#ifdef VOXPLAIN_NNUNET_EXPORTER_INSTALLED
  if (fs::exists(VOXPLAIN_NNUNET_EXPORTER_INSTALLED, ec)) return VOXPLAIN_NNUNET_EXPORTER_INSTALLED;
#endif
#ifdef VOXPLAIN_NNUNET_EXPORTER_SOURCE
  if (fs::exists(VOXPLAIN_NNUNET_EXPORTER_SOURCE, ec)) return VOXPLAIN_NNUNET_EXPORTER_SOURCE;
#endif
  return {};
}

std::string fileDigest(const fs::path& file) {
#ifdef VOXPLAIN_HAS_OPENSSL
  return sha256OfFile(file);
#else
  std::error_code ec;
  return std::to_string(fs::file_size(file, ec)) + "-" +
         std::to_string(fs::last_write_time(file, ec).time_since_epoch().count());
#endif
}

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the converter on `config`; the TorchScript lands at `out`. Throws InputError(folder, ...).
void exportNetwork(const nlohmann::json& config, const fs::path& out, const fs::path& folder) {
  const fs::path script = exporterScript();
  if (script.empty())
    throw InputError(folder.string(), "the nnU-Net converter (nnunet_export.py) is not installed beside Voxplain");
  const char* python = std::getenv("VOXPLAIN_PYTHON");
  const std::string interpreter = python ? python : "/usr/bin/python3";
  fs::create_directories(out.parent_path());
  const fs::path configFile = out.string() + ".config.json", errors = out.string() + ".stderr";
  const fs::path partial = out.string() + ".partial";
  if (!replaceJsonFile(configFile, config)) throw InputError(configFile.string(), "cannot be written");
  const std::string command = quoted(interpreter) + " " + quoted(script.string()) + " " + quoted(configFile.string()) +
                              " " + quoted(partial.string()) + " > /dev/null 2> " + quoted(errors.string());
  const int status = std::system(command.c_str());
  std::string message = readText(errors);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  std::error_code ec;
  fs::remove(configFile, ec);
  fs::remove(errors, ec);
  if (status != 0) {
    fs::remove(partial, ec);
    if (message.find("No module named 'torch'") != std::string::npos || message.find("not found") != std::string::npos)
      message =
          "opening an nnU-Net checkpoint needs Python 3 with PyTorch (Debian: apt install python3-torch): " + message;
    throw InputError(folder.string(), message.empty()
                                          ? "the nnU-Net converter failed (exit status " + std::to_string(status) + ")"
                                          : message);
  }
  fs::rename(partial, out, ec);
  if (ec) throw InputError(out.string(), "cannot be written: " + ec.message());
}

}  // namespace

std::vector<NnunetTrainer> nnunetTrainers(const fs::path& path) {
  std::vector<fs::path> folders;
  if (hasPlans(path)) {
    folders.push_back(path);
  } else {
    for (const auto& [configuration, found] : trainerFolders(path))
      folders.insert(folders.end(), found.begin(), found.end());
    std::sort(folders.begin(), folders.end());
  }
  std::vector<NnunetTrainer> out;
  for (const fs::path& folder : folders) {
    out.push_back({folder, folderConfiguration(folder), trainedFolds(folder, "checkpoint_final.pth"),
                   trainedFolds(folder, "checkpoint_best.pth")});
  }
  return out;
}

fs::path cacheDirectory() {
  if (const char* dir = std::getenv("VOXPLAIN_CACHE_DIR")) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "voxplain";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "voxplain";
  return fs::temp_directory_path() / "voxplain-cache";
}

bool isNnunetFolder(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  return hasPlans(path) || !trainerFolders(path).empty();
}

fs::path nnunetTrainerFolder(const fs::path& path, const std::string& configuration) {
  if (hasPlans(path)) {
    const std::string suffix = configurationSuffix(path);
    if (!configuration.empty() && !suffix.empty() && suffix != configuration)
      throw InputError(path.string(), "is the " + suffix + " configuration, not " + configuration);
    return path;
  }
  const auto found = trainerFolders(path);
  std::string known;
  for (const auto& [name, folders] : found)
    for (const fs::path& f : folders) known += (known.empty() ? "" : ", ") + f.filename().string();
  if (found.empty()) throw InputError(path.string(), "holds no nnU-Net trainer folder (plans.json + dataset.json)");
  if (configuration.empty() && found.size() == 1 && found.begin()->second.size() == 1)
    return found.begin()->second.front();
  if (configuration.empty())
    throw NnunetChoiceNeeded(path.string(), "holds several nnU-Net configurations (" + known +
                                                "): open one trainer folder, or choose a configuration");
  const auto it = found.find(configuration);
  if (it == found.end())
    throw InputError(path.string(), "has no " + configuration + " configuration (found: " + known + ")");
  if (it->second.size() > 1)
    throw InputError(path.string(), "holds several trainers for " + configuration + " (" + known +
                                        "): open the trainer folder itself");
  return it->second.front();
}

namespace {

ModelManifest readNnunetFolder(const fs::path& folder, const NnunetChoice& choice) {
  const fs::path plansFile = folder / "plans.json", datasetFile = folder / "dataset.json";
  const nlohmann::json plans = readJsonFile(plansFile), dataset = readJsonFile(datasetFile);
  const std::string trainer = folderName(folder);
  const std::string configurationName =
      choice.configuration.empty() ? folderConfiguration(folder) : choice.configuration;
  const nlohmann::json configuration = configurationOf(plans, configurationName, plansFile);
  if (configuration.contains("previous_stage") && configuration["previous_stage"].is_string())
    throw InputError(folder.string(), configurationName + " is a cascade stage (it needs the segmentation of " +
                                          configuration["previous_stage"].get<std::string>() +
                                          "): cascades are not supported");

  ModelManifest m;
  m.name = plans.value("dataset_name", std::string("nnU-Net")) + " " + configurationName;
  m.version = trainer;
  m.description = "nnU-Net v2 " + trainer;

  // Channels and labels.
  const nlohmann::json& channels =
      dataset.contains("channel_names") ? dataset["channel_names"] : field(dataset, "modality", datasetFile);
  const auto schemes = field(configuration, "normalization_schemes", plansFile);
  const nlohmann::json masks = configuration.value("use_mask_for_norm", nlohmann::json::array());
  const nlohmann::json properties =
      plans.value("foreground_intensity_properties_per_channel", nlohmann::json::object());
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const std::string key = std::to_string(c);
    if (!channels.contains(key)) throw InputError(datasetFile.string(), "channel_names: no channel " + key);
    if (c >= schemes.size()) throw InputError(plansFile.string(), "normalization_schemes: no entry for channel " + key);
    ModelInput input;
    input.name = channels[key].get<std::string>();
    input.normalization = normalizationOf(schemes[c].get<std::string>(), c < masks.size() && masks[c].get<bool>(),
                                          properties.contains(key) ? properties[key] : nlohmann::json(), plansFile, c);
    m.inputs.push_back(input);
    if (input.normalization.type == Normalization::Type::ZScoreNonZero)
      m.notes.push_back(input.name +
                        ": use_mask_for_norm: z-score over this channel's non-zero voxels (nnU-Net: over "
                        "the non-zero region of all channels)");
  }
  std::vector<std::pair<int, std::string>> labels;
  for (const auto& [name, value] : field(dataset, "labels", datasetFile).items()) {
    if (!value.is_number_integer())
      throw InputError(datasetFile.string(), "labels: " + name +
                                                 " is a region (a list of labels): region-based training is not "
                                                 "supported yet");
    labels.push_back({value.get<int>(), name});
  }
  std::sort(labels.begin(), labels.end());
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i].first != int(i))
      throw InputError(datasetFile.string(), "labels: values must be 0.." + std::to_string(labels.size() - 1));
  static const std::array<std::array<int, 3>, 6> colours{
      {{0, 0, 0}, {230, 25, 75}, {60, 180, 75}, {255, 225, 25}, {0, 130, 200}, {245, 130, 48}}};
  for (const auto& [value, name] : labels)
    m.labels.push_back({value, name, colours[std::size_t(value) % colours.size()]});

  // Geometry and window, from the plans' transposed order back to [Z, Y, X], then [X, Y, Z].
  const std::array<int, 3> forward =
      triple<int>(plans.value("transpose_forward", nlohmann::json{0, 1, 2}), "transpose_forward", plansFile);
  const auto spacing =
      untransposed(triple<double>(field(configuration, "spacing", plansFile), "spacing", plansFile), forward);
  const auto patch =
      untransposed(triple<int>(field(configuration, "patch_size", plansFile), "patch_size", plansFile), forward);
  m.spacing = std::array<double, 3>{spacing[2], spacing[1], spacing[0]};
  m.layout = "NCZYX";
  m.patchSize = {patch[2], patch[1], patch[0]};
  m.patchDeclared = true;
  m.windowFit = ModelManifest::WindowFit::PadToWindow;
  m.windowScheme = ModelManifest::WindowScheme::Nnunet;
  m.cropToNonzero = true;
  m.overlap = 0.5;
  m.blend = "gaussian";
  m.gaussianSigmaScale = 1.0 / 8.0;
  m.activation = "softmax";
  const std::string reader = plans.value("image_reader_writer", std::string("SimpleITKIO"));
  if (reader == "NibabelIOWithReorient")
    m.orientation = "RAS";
  else if (reader != "SimpleITKIO" && reader != "NibabelIO")
    throw InputError(plansFile.string(), "image_reader_writer " + reader +
                                             " is not supported (SimpleITKIO, NibabelIO "
                                             "and NibabelIOWithReorient are)");

  // Folds.
  const std::vector<int> folds = choice.folds.empty() ? trainedFolds(folder, choice.checkpoint) : choice.folds;
  if (folds.empty()) throw InputError(folder.string(), "no fold_N/" + choice.checkpoint + " (no trained fold)");
  std::vector<std::string> checkpoints;
  for (int fold : folds) {
    const fs::path file = folder / ("fold_" + std::to_string(fold)) / choice.checkpoint;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
      throw InputError(file.string(), "no such checkpoint (fold " + std::to_string(fold) + ")");
    checkpoints.push_back(file.string());
  }

  // The exported network, cached by what it is made of.
  const fs::path script = exporterScript();
  nlohmann::json key{{"plans", fileDigest(plansFile)},
                     {"configuration", configurationName},
                     {"channels", m.inputs.size()},
                     {"classes", m.labels.size()},
                     {"exporter", script.empty() ? std::string() : fileDigest(script)},
                     {"checkpoints", nlohmann::json::array()}};
  for (const std::string& c : checkpoints) key["checkpoints"].push_back(fileDigest(c));
  const fs::path cache = cacheDirectory() / "nnunet";
  fs::create_directories(cache);
  const fs::path keyFile = cache / ("key-" + std::to_string(std::hash<std::string>{}(key.dump())) + ".json");
  if (!replaceJsonFile(keyFile, key)) throw InputError(keyFile.string(), "cannot be written");
  const std::string digest = fileDigest(keyFile);
  std::error_code ec;
  fs::remove(keyFile, ec);
  m.modelFile = cache / (digest.substr(0, 32) + ".pt");
  if (!fs::exists(m.modelFile, ec)) {
    const nlohmann::json config{{"plans", plansFile.string()}, {"configuration", configurationName},
                                {"checkpoints", checkpoints},  {"channels", m.inputs.size()},
                                {"classes", m.labels.size()},  {"transpose_forward", forward},
                                {"mirror_axes", nullptr}};
    exportNetwork(config, m.modelFile, folder);
  }

  // CAM layer groups of the first fold (every fold and mirror runs through the same layers' code).
  const std::size_t stages = field(field(configuration, "architecture", plansFile), "arch_kwargs", plansFile)
                                 .value("n_stages", std::size_t(0));
  for (std::size_t s = 0; s < stages; ++s)
    m.layerGroups["encoder"].push_back("folds.0.encoder.stages." + std::to_string(s));
  for (std::size_t s = 0; s + 1 < stages; ++s)
    m.layerGroups["decoder"].push_back("folds.0.decoder.stages." + std::to_string(s));
  if (stages > 0) m.layerGroups["bottleneck"] = {"folds.0.encoder.stages." + std::to_string(stages - 1)};

  std::string foldText;
  for (int f : folds) foldText += (foldText.empty() ? "" : ", ") + std::to_string(f);
  m.notes.push_back("nnU-Net v2 " + trainer + ": fold(s) " + foldText + " (" + choice.checkpoint +
                    "), logits averaged over folds" +
                    (choice.mirroring ? " and over the mirrored inputs of the checkpoint's axes" : ", mirroring off") +
                    ", nnU-Net's window steps and Gaussian");
  return m;
}

}  // namespace

ModelManifest manifestFromNnunetFolder(const fs::path& path, const NnunetChoice& choice) {
  const fs::path folder = nnunetTrainerFolder(path, choice.configuration);
  try {
    return readNnunetFolder(folder, choice);
  } catch (const nlohmann::json::exception& e) {  // a value of the wrong type where a field was found
    throw InputError((folder / "plans.json").string() + " or dataset.json",
                     std::string("a value has the wrong type (") + e.what() + ")");
  }
}

}  // namespace voxplain
