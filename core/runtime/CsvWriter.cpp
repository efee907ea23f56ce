#include "runtime/CsvWriter.h"

#include <cmath>
#include <cstdio>

namespace voxplain {

CsvWriter::CsvWriter(const std::vector<std::string>& header) {
  for (const std::string& h : header) *this << h;
}

CsvWriter& CsvWriter::row() {
  text_ += "\r\n";
  first_ = true;
  return *this;
}

CsvWriter& CsvWriter::operator<<(const std::string& field) {
  if (!first_) text_ += ',';
  text_ += quoted(field);
  first_ = false;
  return *this;
}

CsvWriter& CsvWriter::operator<<(double value) {
  if (!std::isfinite(value)) return *this << std::string();
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return *this << std::string(text);
}

std::string CsvWriter::str() const {
  return text_ + "\r\n";
}

std::string CsvWriter::quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace voxplain
