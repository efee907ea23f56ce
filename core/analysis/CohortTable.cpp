#include "analysis/CohortTable.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "runtime/TextCase.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

std::vector<std::string> splitCsvLine(const std::string& line, const std::string& where) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) throw InputError(where, "unterminated quote");
  fields.push_back(field);
  for (std::string& f : fields) {
    const auto b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
  }
  return fields;
}

}  // namespace

std::vector<CohortCase> parseCohortTable(const std::string& text, const std::string& source,
                                         const std::vector<std::string>& inputNames) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(source).parent_path();
  auto resolve = [&](const std::string& p) {
    return p.empty() || fs::path(p).is_absolute() ? p : (folder / p).string();
  };
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  std::vector<std::string> header;
  int idColumn = -1, referenceColumn = -1;
  std::vector<int> inputColumns;
  std::vector<CohortCase> cases;
  std::set<std::string> ids;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = source + ":" + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    const std::vector<std::string> fields = splitCsvLine(line, where);
    if (header.empty()) {
      header = fields;
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (lowerCase(header[c]) == "case") idColumn = int(c);
        if (lowerCase(header[c]) == "reference") referenceColumn = int(c);
      }
      if (idColumn < 0) throw InputError(where, "the header has no 'case' column");
      for (const std::string& name : inputNames) {
        const auto it = std::find_if(header.begin(), header.end(),
                                     [&](const std::string& h) { return lowerCase(h) == lowerCase(name); });
        if (it == header.end()) throw InputError(where, "the header has no column for the model input '" + name + "'");
        inputColumns.push_back(int(it - header.begin()));
      }
      continue;
    }
    if (fields.size() < header.size())
      throw InputError(where,
                       std::to_string(fields.size()) + " field(s), the header has " + std::to_string(header.size()));
    CohortCase c;
    c.line = number;
    c.id = fields[std::size_t(idColumn)];
    if (c.id.empty()) throw InputError(where, "empty case id");
    if (c.id == "." || c.id == ".." || c.id.find_first_of("/\\:*?\"<>|") != std::string::npos)
      throw InputError(where, "case id '" + c.id + "' cannot be a file name");
    if (!ids.insert(c.id).second) throw InputError(where, "case id '" + c.id + "' appears twice");
    for (int column : inputColumns) {
      const std::string& path = fields[std::size_t(column)];
      if (path.empty()) throw InputError(where, "no image for input '" + header[std::size_t(column)] + "'");
      c.inputs.push_back(resolve(path));
    }
    if (referenceColumn >= 0) c.reference = resolve(fields[std::size_t(referenceColumn)]);
    cases.push_back(std::move(c));
  }
  if (cases.empty()) throw InputError(source, "no cases (a header line and at least one row are needed)");
  return cases;
}

std::vector<CohortCase> shardOf(const std::vector<CohortCase>& cases, const CaseShard& shard) {
  std::vector<CohortCase> out;
  for (std::size_t i : shardIndices(cases.size(), shard)) out.push_back(cases[i]);
  return out;
}

}  // namespace voxplain
