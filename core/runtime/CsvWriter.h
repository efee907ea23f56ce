#pragma once
// The one CSV writer of the engine's tables (RFC 4180): fields holding a comma, a double quote, CR
// or LF are quoted with their quotes doubled; records end with CRLF; numbers are written with 9
// significant digits (a float32 reads back exactly), non-finite numbers as empty fields.

#include <string>
#include <vector>

namespace voxplain {

class CsvWriter {
 public:
  /// Starts the table with its header record.
  explicit CsvWriter(const std::vector<std::string>& header);
  /// Starts the next record; fields follow with <<.
  CsvWriter& row();
  CsvWriter& operator<<(const std::string& field);
  CsvWriter& operator<<(const char* field) { return *this << std::string(field); }
  CsvWriter& operator<<(double value);
  CsvWriter& operator<<(int value) { return *this << std::to_string(value); }
  CsvWriter& operator<<(long value) { return *this << std::to_string(value); }
  CsvWriter& operator<<(unsigned long value) { return *this << std::to_string(value); }
  CsvWriter& operator<<(unsigned long long value) { return *this << std::to_string(value); }
  /// An empty field.
  CsvWriter& skip() { return *this << std::string(); }
  /// The table so far, ending with CRLF.
  std::string str() const;

  /// One field as RFC 4180 writes it.
  static std::string quoted(const std::string& field);

 private:
  std::string text_;
  bool first_ = true;  ///< no field yet in the current record
};

}  // namespace voxplain
