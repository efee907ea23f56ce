#pragma once
// Small typed accessors over DCMTK items: a missing or malformed attribute gives the default.
// Internal to core/io (includes DCMTK).

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <string>

namespace voxplain::dicomTags {

inline std::string getString(DcmItem* item, const DcmTagKey& tag, const std::string& fallback = {}) {
  OFString value;
  if (item && item->findAndGetOFStringArray(tag, value).good()) {
    std::string s = value.c_str();
    const auto end = s.find_last_not_of(" \0", std::string::npos, 2);
    s.erase(end == std::string::npos ? 0 : end + 1);
    return s;
  }
  return fallback;
}

inline double getDouble(DcmItem* item, const DcmTagKey& tag, double fallback, unsigned long pos = 0) {
  Float64 v;
  if (item && item->findAndGetFloat64(tag, v, pos).good()) return v;
  return fallback;
}

inline int getInt(DcmItem* item, const DcmTagKey& tag, int fallback = 0) {
  Sint32 v;
  if (item && item->findAndGetSint32(tag, v).good()) return int(v);
  Uint16 u16;
  if (item && item->findAndGetUint16(tag, u16).good()) return int(u16);
  Uint32 u32;
  if (item && item->findAndGetUint32(tag, u32).good()) return int(u32);
  return fallback;
}

inline unsigned getUnsigned(DcmItem* item, const DcmTagKey& tag, unsigned fallback = 0) {
  Uint16 v;
  if (item && item->findAndGetUint16(tag, v).good()) return v;
  const int i = getInt(item, tag, -1);
  return i >= 0 ? unsigned(i) : fallback;
}

/// Reads `count` numbers of a multi-valued DS/FD attribute; false when any is missing.
inline bool getDoubles(DcmItem* item, const DcmTagKey& tag, double* out, unsigned count) {
  if (!item) return false;
  for (unsigned i = 0; i < count; ++i) {
    Float64 v;
    if (item->findAndGetFloat64(tag, v, i).bad()) return false;
    out[i] = v;
  }
  return true;
}

}  // namespace voxplain::dicomTags
