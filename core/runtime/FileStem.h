#pragma once
// File names made from labels (class names, modality names, method names): the one rule of every
// writer of reports.

#include <cctype>
#include <string>

namespace voxplain {

/// Letters, digits, '-' and '_' kept, anything else '_' ("Grad-CAM++ [dec1]" -> "Grad-CAM___dec1_");
/// "unnamed" for an empty label.
inline std::string fileStem(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out.empty() ? "unnamed" : out;
}

}  // namespace voxplain
