#include "model/InputAssignment.h"
#include "runtime/TextCase.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace voxplain {
namespace {

/// Lower-case alphanumeric words: "AX_T2-FLAIR fs" -> {ax, t2, flair, fs}; also the whole run
/// without separators ("t2flair") so that joined names match.
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::string word, joined;
  for (char c : lowerCase(text) + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
      joined += c;
    } else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  if (!joined.empty()) out.insert(joined);
  return out;
}

/// Words that name the same contrast as `input` (lower case): itself plus known synonyms.
std::set<std::string> synonyms(const std::string& input) {
  static const std::map<std::string, std::set<std::string>> known = {
      {"t1", {"t1w", "mprage", "spgr", "tfl", "t1weighted"}},
      {"t2", {"t2w", "t2weighted"}},
      {"flair", {"t2flair", "flairt2", "darkfluid"}},
      {"t1ce", {"t1c", "t1gd", "t1post", "t1contrast", "gad", "t1wce"}},
      {"ct", {"ctseries"}},
  };
  std::set<std::string> out{lowerCase(input)};
  for (const auto& [key, values] : known) {
    std::set<std::string> group = values;
    group.insert(key);
    if (group.count(lowerCase(input))) out.insert(group.begin(), group.end());
  }
  return out;
}

}  // namespace

bool InputAssignment::complete() const {
  std::set<int> used;
  for (int v : volumeOfInput)
    if (v < 0 || !used.insert(v).second) return false;
  return true;
}

bool InputAssignment::confident() const {
  if (!complete()) return false;
  for (const std::string& r : reasons)
    if (r == "position") return false;
  return true;
}

InputAssignment assignInputs(const std::vector<std::string>& inputNames,
                             const std::vector<VolumeDescription>& volumes) {
  const std::size_t n = inputNames.size();
  InputAssignment a;
  a.volumeOfInput.assign(n, -1);
  a.reasons.assign(n, "none left");
  std::vector<bool> used(volumes.size(), false);

  // Pass 1: equal names.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t v = 0; v < volumes.size(); ++v)
      if (!used[v] && lowerCase(volumes[v].name) == lowerCase(inputNames[i])) {
        a.volumeOfInput[i] = int(v);
        a.reasons[i] = "name";
        used[v] = true;
        break;
      }
  // Pass 2: a word of the name or a hint names the input's contrast (the text that matched, or
  // empty). Volumes that match this input alone go first ("T1 post gad" also reads as T1).
  auto matching = [&](std::size_t i, std::size_t v) -> std::string {
    const std::set<std::string> wanted = synonyms(inputNames[i]);
    std::vector<std::string> texts{volumes[v].name};
    texts.insert(texts.end(), volumes[v].hints.begin(), volumes[v].hints.end());
    for (const std::string& text : texts) {
      const std::set<std::string> w = words(text);
      if (std::any_of(wanted.begin(), wanted.end(), [&](const std::string& s) { return w.count(s) > 0; })) return text;
    }
    return {};
  };
  auto matchCount = [&](std::size_t v) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) count += !matching(i, v).empty();
    return count;
  };
  for (const bool uniqueOnly : {true, false})
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t v = 0; v < volumes.size() && a.volumeOfInput[i] < 0; ++v) {
        if (used[v] || (uniqueOnly && matchCount(v) != 1)) continue;
        const std::string text = matching(i, v);
        if (text.empty()) continue;
        a.volumeOfInput[i] = int(v);
        a.reasons[i] = text == volumes[v].name ? "name '" + text + "'" : "description '" + text + "'";
        used[v] = true;
      }
  // Pass 3: what is left, in order.
  std::size_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (a.volumeOfInput[i] >= 0) continue;
    while (next < volumes.size() && used[next]) ++next;
    if (next == volumes.size()) break;
    a.volumeOfInput[i] = int(next);
    a.reasons[i] = "position";
    used[next] = true;
  }
  return a;
}

std::vector<std::string> assignedNames(const std::vector<std::string>& volumeNames,
                                       const std::vector<std::string>& inputNames,
                                       const std::vector<int>& volumeOfInput) {
  const std::set<std::string> inputs(inputNames.begin(), inputNames.end());
  std::vector<std::string> names;
  for (const std::string& name : volumeNames) names.push_back(inputs.count(name) ? name + " (unused)" : name);
  for (std::size_t i = 0; i < volumeOfInput.size() && i < inputNames.size(); ++i)
    if (volumeOfInput[i] >= 0 && std::size_t(volumeOfInput[i]) < names.size())
      names[std::size_t(volumeOfInput[i])] = inputNames[i];
  return names;
}

}  // namespace voxplain
