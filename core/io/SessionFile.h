#pragma once
// A saved session (".voxplain"): JSON with a format tag and a schema version, naming the study's
// inputs, the model, the prediction, every run (method, parameters, target, its numbers and map
// files) and the view. Paths are stored relative to the session file's folder when they lie below
// it (so a session folder can be moved or shared), absolute otherwise; reading resolves them.
//
// {"format": "voxplain-session", "schema_version": 1,
//  "study": [{"path": "FLAIR.nii.gz", "series": "", "name": "FLAIR"}], "model": "model.json",
//  "prediction": "x_files/prediction.nii.gz",
//  "runs": [{"method": "saliency", "method_label": "Saliency", "target": "class=1", "parameters": "",
//            "device": "cpu", "seconds": 1.5, "modalities": ["FLAIR", "T1"],
//            "maps": ["x_files/run1_FLAIR.nii.gz", ...], "modality_shares": [0.4, 0.6],
//            "shapley_shares": [], "segments": {SegmentImportance::toJson()} or null}],
//  "shown_run": 0, "view": {...}}
//
// Reading checks every field and throws InputError(file, "<field>: <reason>"); it never trusts a
// count or a path to exist (the caller opens the files and reports what is missing).

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/AtomicFile.h"

namespace voxplain {

constexpr int kSessionSchemaVersion = 1;

struct SessionInput {
  std::string path;    ///< NIfTI file, DICOM file or folder (absolute once read)
  std::string series;  ///< SeriesInstanceUID within a folder; empty: the only image
  std::string name;    ///< modality name
};

struct SessionRun {
  std::string method, methodLabel, target, parameters, device;
  double seconds = 0.0;
  std::vector<std::string> modalities;
  std::vector<std::string> maps;  ///< one NIfTI file per modality (absolute once read)
  std::vector<double> modalityShares, shapleyShares;
  nlohmann::json segments;   ///< SegmentImportance::toJson(), or null (recomputed from the maps)
  nlohmann::json instances;  ///< an instances run: InstanceReport::toJson(); null for other runs
  /// An instances run: per instance (in the order of instances' ids 1..N), one NIfTI per modality.
  std::vector<std::vector<std::string>> instanceMaps;
};

struct Session {
  std::vector<SessionInput> study;
  std::string model;       ///< empty: none was open
  std::string prediction;  ///< label map file; empty: none
  std::vector<SessionRun> runs;
  int shownRun = -1;                               ///< index into runs; -1: none shown
  nlohmann::json view = nlohmann::json::object();  ///< the front end's view state (an object)
};

/// The session as JSON, paths relative to `sessionFile`'s folder where they lie below it.
nlohmann::json sessionToJson(const Session& session, const std::filesystem::path& sessionFile);
/// The session in `json`, read from `sessionFile` (paths resolved against its folder). Throws
/// InputError naming `sessionFile` and the field: not a Voxplain session, a newer schema, a missing
/// or mistyped field, a run whose map count differs from its modality count.
Session sessionFromJson(const nlohmann::json& json, const std::filesystem::path& sessionFile);

/// Writes `session` to `file` atomically (a crash never leaves half a session). Throws InputError
/// when it cannot be written, or when `file` exists and overwrite == Refuse.
void writeSession(const std::filesystem::path& file, const Session& session, Overwrite overwrite);
/// Reads a session file: at most 64 MiB of JSON. Throws InputError naming the file and the reason.
Session readSession(const std::filesystem::path& file);

}  // namespace voxplain
