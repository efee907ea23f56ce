#pragma once
// The error for bad user input: a file (or argument) and the reason it cannot be used.
// The CLI maps it to exit status 2; the UI shows what() in a message box.

#include <stdexcept>
#include <string>

namespace voxplain {

class InputError : public std::runtime_error {
 public:
  /// what() is "<source>: <reason>".
  InputError(const std::string& source, const std::string& reason)
      : std::runtime_error(source + ": " + reason), source_(source), reason_(reason) {}
  const std::string& source() const { return source_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string source_;
  std::string reason_;
};

}  // namespace voxplain
