#pragma once
// The error for bad user input: what cannot be used, and why.
//  - about a file: InputError(path, reason), what() = "<path>: <reason>";
//  - about a field of a request (target, method parameter, device...): InputError(field, value,
//    reason). Front ends name the field their own way: the CLI as its flag ("--target class=3"),
//    the app as its control ("target class=3"); what() uses the plain field name.
// The CLI maps it to exit status 2; the UI shows the message in the status bar or a message box.

#include <optional>
#include <stdexcept>
#include <string>

namespace voxplain {

/// The fields of requests that core validates.
enum class InputField { Model, Method, Parameter, Target, Device, Precision, Baseline, Layers, Size, Shard };

/// Lower-case name for people: "model", "method", "parameter", "target", "device", "precision",
/// "baseline", "layers", "size", "shard".
inline const char* fieldName(InputField field) {
  switch (field) {
    case InputField::Model:
      return "model";
    case InputField::Method:
      return "method";
    case InputField::Parameter:
      return "parameter";
    case InputField::Target:
      return "target";
    case InputField::Device:
      return "device";
    case InputField::Precision:
      return "precision";
    case InputField::Baseline:
      return "baseline";
    case InputField::Layers:
      return "layers";
    case InputField::Size:
      return "size";
    case InputField::Shard:
      return "shard";
  }
  return "input";
}

class InputError : public std::runtime_error {
 public:
  /// About a file (or another named source): what() is "<source>: <reason>".
  InputError(const std::string& source, const std::string& reason)
      : std::runtime_error(source + ": " + reason), source_(source), reason_(reason) {}
  /// About a field of a request; `value` is what was given ("class=3", "steps", may be empty):
  /// what() is "<field name> <value>: <reason>".
  InputError(InputField field, const std::string& value, const std::string& reason)
      : std::runtime_error(std::string(fieldName(field)) + (value.empty() ? "" : " " + value) + ": " + reason),
        source_(value),
        reason_(reason),
        field_(field) {}
  /// The file, or the value of the field.
  const std::string& source() const { return source_; }
  const std::string& reason() const { return reason_; }
  /// Set for errors about a field of a request.
  const std::optional<InputField>& field() const { return field_; }

 private:
  std::string source_;
  std::string reason_;
  std::optional<InputField> field_;
};

}  // namespace voxplain
