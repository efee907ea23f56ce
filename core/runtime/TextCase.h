#pragma once
// Case-insensitive comparison of names people type (modality names, file extensions, column
// headers): the one lower-casing rule of the readers and matchers.

#include <cctype>
#include <string>

namespace voxplain {

/// `text` with ASCII letters in lower case (other bytes, UTF-8 included, unchanged).
inline std::string lowerCase(std::string text) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace voxplain
