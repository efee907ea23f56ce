#include "io/SessionFile.h"

#include <fstream>
#include <iterator>

#include "runtime/JsonFields.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "voxplain-session";
constexpr std::uintmax_t kMaxBytes = 64ull << 20;

/// `path` relative to `folder` when it lies below it (no ".." step), else absolute.
std::string relativeTo(const std::string& path, const fs::path& folder) {
  if (path.empty()) return path;
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const fs::path relative = absolute.lexically_relative(fs::absolute(folder, ec).lexically_normal());
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return absolute.string();
}

std::string resolve(const std::string& path, const fs::path& folder) {
  if (path.empty()) return path;
  const fs::path p(path);
  return (p.is_absolute() ? p : folder / p).lexically_normal().string();
}

std::vector<double> numbers(const FieldReader& r, const nlohmann::json& j, const std::string& field) {
  std::vector<double> out;
  for (std::size_t i = 0; i < r.list(j, field).size(); ++i)
    out.push_back(r.number(j[i], field + "[" + std::to_string(i) + "]"));
  return out;
}

/// An optional string field: absent or null reads as empty.
std::string optionalString(const FieldReader& r, const nlohmann::json& object, const char* key,
                           const std::string& path) {
  if (!object.contains(key) || object.at(key).is_null()) return {};
  return r.string(object.at(key), path + key);
}

}  // namespace

nlohmann::json sessionToJson(const Session& session, const fs::path& sessionFile) {
  const fs::path folder = sessionFile.parent_path().empty() ? fs::path(".") : sessionFile.parent_path();
  nlohmann::json j{{"format", kFormat},
                   {"schema_version", kSessionSchemaVersion},
                   {"study", nlohmann::json::array()},
                   {"runs", nlohmann::json::array()}};
  for (const SessionInput& in : session.study)
    j["study"].push_back({{"path", relativeTo(in.path, folder)}, {"series", in.series}, {"name", in.name}});
  j["model"] = session.model.empty() ? nlohmann::json() : nlohmann::json(relativeTo(session.model, folder));
  j["prediction"] =
      session.prediction.empty() ? nlohmann::json() : nlohmann::json(relativeTo(session.prediction, folder));
  for (const SessionRun& run : session.runs) {
    nlohmann::json maps = nlohmann::json::array();
    for (const std::string& m : run.maps) maps.push_back(relativeTo(m, folder));
    nlohmann::json instanceMaps = nlohmann::json::array();
    for (const std::vector<std::string>& instance : run.instanceMaps) {
      instanceMaps.push_back(nlohmann::json::array());
      for (const std::string& m : instance) instanceMaps.back().push_back(relativeTo(m, folder));
    }
    j["runs"].push_back({{"method", run.method},
                         {"method_label", run.methodLabel},
                         {"target", run.target},
                         {"parameters", run.parameters},
                         {"device", run.device},
                         {"seconds", run.seconds},
                         {"modalities", run.modalities},
                         {"maps", maps},
                         {"modality_shares", run.modalityShares},
                         {"shapley_shares", run.shapleyShares},
                         {"segments", run.segments},
                         {"instances", run.instances},
                         {"instance_maps", instanceMaps}});
  }
  j["shown_run"] = session.shownRun;
  j["view"] = session.view.is_object() ? session.view : nlohmann::json::object();
  return j;
}

Session sessionFromJson(const nlohmann::json& json, const fs::path& sessionFile) {
  const FieldReader r(sessionFile.string());
  if (!json.is_object() || !json.contains("format") || json["format"] != kFormat)
    r.fail("format", "missing or not \"voxplain-session\": this is not a Voxplain session file");
  const int version = r.integer(r.require(json, "schema_version", ""), "schema_version");
  if (version > kSessionSchemaVersion)
    r.fail("schema_version", std::to_string(version) + " was written by a newer Voxplain (this one reads " +
                                 std::to_string(kSessionSchemaVersion) + ")");
  if (version < 1) r.fail("schema_version", "must be 1 or more");
  const fs::path folder = sessionFile.parent_path().empty() ? fs::path(".") : sessionFile.parent_path();

  Session s;
  const nlohmann::json& study = r.list(r.require(json, "study", ""), "study");
  for (std::size_t i = 0; i < study.size(); ++i) {
    const std::string f = "study[" + std::to_string(i) + "].";
    SessionInput in;
    in.path = resolve(r.string(r.require(study[i], "path", f), f + "path"), folder);
    in.series = optionalString(r, study[i], "series", f);
    in.name = optionalString(r, study[i], "name", f);
    if (in.path.empty()) r.fail(f + "path", "empty");
    s.study.push_back(std::move(in));
  }
  s.model = resolve(optionalString(r, json, "model", ""), folder);
  s.prediction = resolve(optionalString(r, json, "prediction", ""), folder);

  const nlohmann::json& runs = json.contains("runs") ? r.list(json["runs"], "runs") : nlohmann::json::array();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string f = "runs[" + std::to_string(i) + "].";
    const nlohmann::json& j = runs[i];
    SessionRun run;
    run.method = r.string(r.require(j, "method", f), f + "method");
    run.methodLabel = optionalString(r, j, "method_label", f);
    run.target = optionalString(r, j, "target", f);
    run.parameters = optionalString(r, j, "parameters", f);
    run.device = optionalString(r, j, "device", f);
    run.seconds = j.contains("seconds") ? r.number(j["seconds"], f + "seconds") : 0.0;
    run.modalities = r.strings(r.require(j, "modalities", f), f + "modalities");
    for (const std::string& m : r.strings(r.require(j, "maps", f), f + "maps")) run.maps.push_back(resolve(m, folder));
    if (run.maps.size() != run.modalities.size())
      r.fail(f + "maps",
             std::to_string(run.maps.size()) + " files for " + std::to_string(run.modalities.size()) + " modalities");
    if (j.contains("modality_shares")) run.modalityShares = numbers(r, j["modality_shares"], f + "modality_shares");
    if (j.contains("shapley_shares")) run.shapleyShares = numbers(r, j["shapley_shares"], f + "shapley_shares");
    for (const auto* shares : {&run.modalityShares, &run.shapleyShares})
      if (!shares->empty() && shares->size() != run.modalities.size())
        r.fail(f + (shares == &run.modalityShares ? "modality_shares" : "shapley_shares"),
               "one value per modality expected");
    if (j.contains("segments") && !j["segments"].is_null()) {
      if (!j["segments"].is_object()) r.fail(f + "segments", "must be an object or null");
      run.segments = j["segments"];
    }
    if (j.contains("instances") && !j["instances"].is_null()) {
      if (!j["instances"].is_object()) r.fail(f + "instances", "must be an object or null");
      run.instances = j["instances"];
      const nlohmann::json& instanceMaps = r.list(r.require(j, "instance_maps", f), f + "instance_maps");
      for (std::size_t k = 0; k < instanceMaps.size(); ++k) {
        const std::string g = f + "instance_maps[" + std::to_string(k) + "]";
        run.instanceMaps.emplace_back();
        for (const std::string& m : r.strings(instanceMaps[k], g))
          run.instanceMaps.back().push_back(resolve(m, folder));
        if (run.instanceMaps.back().size() != run.modalities.size())
          r.fail(g, std::to_string(run.instanceMaps.back().size()) + " files for " +
                        std::to_string(run.modalities.size()) + " modalities");
      }
    }
    s.runs.push_back(std::move(run));
  }
  s.shownRun = json.contains("shown_run") ? r.integer(json["shown_run"], "shown_run") : -1;
  if (s.shownRun < -1 || s.shownRun >= int(s.runs.size()))
    r.fail("shown_run",
           std::to_string(s.shownRun) + " is not a run of this session (" + std::to_string(s.runs.size()) + ")");
  if (json.contains("view")) {
    if (!json["view"].is_object()) r.fail("view", "must be an object");
    s.view = json["view"];
  }
  return s;
}

void writeSession(const fs::path& file, const Session& session, Overwrite overwrite) {
  writeTextAtomically(file, sessionToJson(session, file).dump(1) + "\n", overwrite);
}

Session readSession(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw InputError(file.string(), "no such session file");
  if (fs::file_size(file, ec) > kMaxBytes) throw InputError(file.string(), "larger than 64 MiB: not a session file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot open the file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) throw InputError(file.string(), "not valid JSON: this is not a Voxplain session file");
  return sessionFromJson(json, file);
}

}  // namespace voxplain
