#include "io/NiftiHeader.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

GzFile openGz(const fs::path& path, const char* mode) {
  GzFile f(gzopen(path.c_str(), mode));
  return f;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

template <class T>
T readAt(const unsigned char* buf, std::size_t offset, bool swap) {
  T v;
  unsigned char tmp[sizeof(T)];
  std::memcpy(tmp, buf + offset, sizeof(T));
  if (swap) std::reverse(tmp, tmp + sizeof(T));
  std::memcpy(&v, tmp, sizeof(T));
  return v;
}

template <class T>
void writeAt(unsigned char* buf, std::size_t offset, T v) {
  std::memcpy(buf + offset, &v, sizeof(T));
}

std::uint32_t byteSwap32(std::uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

// The image file of a .hdr/.img pair: .img or .img.gz next to it.
fs::path pairedImageFile(const fs::path& header) {
  std::string base = header.string();
  if (endsWith(base, ".gz")) base.resize(base.size() - 3);
  base.resize(base.size() - 4);  // ".hdr"
  for (const char* ext : {".img", ".img.gz"}) {
    fs::path candidate = base + ext;
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
  }
  return {};
}

// Mat3 from a RAS 3x3 block (columns = axis vectors scaled by spacing), converted to LPS.
void rasColumnsToLps(double m[3][3], Geometry& g) {
  for (int c = 0; c < 3; ++c) {
    const Vec3 col{-m[0][c], -m[1][c], m[2][c]};
    const double len = norm(col);
    g.spacing[c] = len > 0 ? len : 1.0;
    for (int r = 0; r < 3; ++r) g.direction[3 * r + c] = len > 0 ? col[r] / len : (r == c ? 1.0 : 0.0);
  }
}

}  // namespace

std::uint64_t NiftiHeader::voxelCount() const {
  std::uint64_t n = 1;
  for (int d = 1; d <= dim[0]; ++d) n *= std::uint64_t(dim[d]);
  return n;
}

int NiftiHeader::bytesPerVoxel() const {
  switch (datatype) {
    case 2:
    case 256:
      return 1;  // uint8, int8
    case 4:
    case 512:
      return 2;  // int16, uint16
    case 8:
    case 768:
    case 16:
      return 4;  // int32, uint32, float32
    case 64:
    case 1024:
    case 1280:
      return 8;  // float64, int64, uint64
    default:
      return 0;
  }
}

std::string NiftiHeader::dataTypeName() const {
  switch (datatype) {
    case 2:
      return "uint8";
    case 256:
      return "int8";
    case 4:
      return "int16";
    case 512:
      return "uint16";
    case 8:
      return "int32";
    case 768:
      return "uint32";
    case 16:
      return "float32";
    case 64:
      return "float64";
    case 1024:
      return "int64";
    case 1280:
      return "uint64";
    default:
      return "unknown(" + std::to_string(datatype) + ")";
  }
}

Geometry NiftiHeader::geometry() const {
  Geometry g;
  for (int d = 0; d < 3; ++d) g.size[d] = std::size_t(d < dim[0] ? dim[d + 1] : 1);
  double m[3][3];
  if (sformCode > 0) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) m[r][c] = srow[r][c];
    rasColumnsToLps(m, g);
    g.origin = {-srow[0][3], -srow[1][3], srow[2][3]};
  } else if (qformCode > 0) {
    // Quaternion to rotation (nifti1.h, "METHOD 2").
    const double b = quatern[0], c = quatern[1], d = quatern[2];
    const double a = std::sqrt(std::max(0.0, 1.0 - (b * b + c * c + d * d)));
    const double rot[3][3] = {{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                              {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                              {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
    const double qfac = pixdim[0] < 0 ? -1.0 : 1.0;
    for (int r = 0; r < 3; ++r)
      for (int col = 0; col < 3; ++col)
        m[r][col] = rot[r][col] * std::abs(pixdim[col + 1] > 0 ? pixdim[col + 1] : 1.0) * (col == 2 ? qfac : 1.0);
    rasColumnsToLps(m, g);
    g.origin = {-qoffset[0], -qoffset[1], qoffset[2]};
  } else {
    // "METHOD 1" (ANALYZE): scaling only, in RAS.
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) m[r][c] = r == c ? std::abs(pixdim[c + 1] > 0 ? pixdim[c + 1] : 1.0) : 0.0;
    rasColumnsToLps(m, g);
  }
  return g;
}

NiftiHeader inspectNifti(const fs::path& path, const ReadLimits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(name, "no such file");
  if (fs::is_directory(path, ec)) throw InputError(name, "is a folder, not a NIfTI file");
  const auto fileSize = fs::file_size(path, ec);
  if (ec) throw InputError(name, "cannot read the file (" + ec.message() + ")");
  if (fileSize == 0) throw InputError(name, "empty file (0 bytes)");

  GzFile f = openGz(path, "rb");
  if (!f) throw InputError(name, "cannot open the file for reading");
  unsigned char buf[540] = {};
  const int got = gzread(f.get(), buf, sizeof(buf));
  if (got < 348)
    throw InputError(name, "too short for a NIfTI header (" + std::to_string(std::max(got, 0)) + " bytes)");

  NiftiHeader h;
  std::uint32_t sizeofHdr;
  std::memcpy(&sizeofHdr, buf, 4);
  if (sizeofHdr == 348 || byteSwap32(sizeofHdr) == 348) {
    h.version = 1;
    h.byteSwapped = sizeofHdr != 348;
  } else if (sizeofHdr == 540 || byteSwap32(sizeofHdr) == 540) {
    h.version = 2;
    h.byteSwapped = sizeofHdr != 540;
    if (got < 540) throw InputError(name, "truncated NIfTI-2 header (" + std::to_string(got) + " of 540 bytes)");
  } else {
    throw InputError(name,
                     "not a NIfTI file (header size field is " + std::to_string(sizeofHdr) + ", expected 348 or 540)");
  }
  const bool s = h.byteSwapped;
  if (h.version == 1) {
    const char* magic = reinterpret_cast<const char*>(buf + 344);
    if (std::memcmp(magic, "n+1\0", 4) == 0)
      h.singleFile = true;
    else if (std::memcmp(magic, "ni1\0", 4) == 0)
      h.singleFile = false;
    else
      throw InputError(name, "bad NIfTI-1 magic string (expected \"n+1\" or \"ni1\")");
    for (int d = 0; d < 8; ++d) h.dim[d] = readAt<std::int16_t>(buf, 40 + 2 * d, s);
    h.datatype = readAt<std::int16_t>(buf, 70, s);
    h.bitpix = readAt<std::int16_t>(buf, 72, s);
    for (int d = 0; d < 8; ++d) h.pixdim[d] = readAt<float>(buf, 76 + 4 * d, s);
    // vox_offset is a float in NIfTI-1: converting a value beyond int64 (or NaN) is undefined.
    const float offset = readAt<float>(buf, 108, s);
    if (!(offset >= 0.0f && offset < 1e15f))
      throw InputError(name, "vox_offset " + std::to_string(offset) + " is not a byte offset in a file");
    h.voxOffset = std::int64_t(offset);
    h.sclSlope = readAt<float>(buf, 112, s);
    h.sclInter = readAt<float>(buf, 116, s);
    h.descrip.assign(reinterpret_cast<const char*>(buf + 148), strnlen(reinterpret_cast<const char*>(buf + 148), 80));
    h.qformCode = readAt<std::int16_t>(buf, 252, s);
    h.sformCode = readAt<std::int16_t>(buf, 254, s);
    for (int q = 0; q < 3; ++q) h.quatern[q] = readAt<float>(buf, 256 + 4 * q, s);
    for (int q = 0; q < 3; ++q) h.qoffset[q] = readAt<float>(buf, 268 + 4 * q, s);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) h.srow[r][c] = readAt<float>(buf, 280 + 16 * r + 4 * c, s);
  } else {
    const char* magic = reinterpret_cast<const char*>(buf + 4);
    if (std::memcmp(magic, "n+2\0", 4) == 0)
      h.singleFile = true;
    else if (std::memcmp(magic, "ni2\0", 4) == 0)
      h.singleFile = false;
    else
      throw InputError(name, "bad NIfTI-2 magic string (expected \"n+2\" or \"ni2\")");
    h.datatype = readAt<std::int16_t>(buf, 12, s);
    h.bitpix = readAt<std::int16_t>(buf, 14, s);
    for (int d = 0; d < 8; ++d) h.dim[d] = readAt<std::int64_t>(buf, 16 + 8 * d, s);
    for (int d = 0; d < 8; ++d) h.pixdim[d] = readAt<double>(buf, 104 + 8 * d, s);
    h.voxOffset = readAt<std::int64_t>(buf, 168, s);
    if (h.voxOffset < 0 || h.voxOffset >= std::int64_t(1e15))  // keeps offset + data size from overflowing
      throw InputError(name, "vox_offset " + std::to_string(h.voxOffset) + " is not a byte offset in a file");
    h.sclSlope = readAt<double>(buf, 176, s);
    h.sclInter = readAt<double>(buf, 184, s);
    h.descrip.assign(reinterpret_cast<const char*>(buf + 240), strnlen(reinterpret_cast<const char*>(buf + 240), 80));
    h.qformCode = readAt<std::int32_t>(buf, 344, s);
    h.sformCode = readAt<std::int32_t>(buf, 348, s);
    for (int q = 0; q < 3; ++q) h.quatern[q] = readAt<double>(buf, 352 + 8 * q, s);
    for (int q = 0; q < 3; ++q) h.qoffset[q] = readAt<double>(buf, 376 + 8 * q, s);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) h.srow[r][c] = readAt<double>(buf, 400 + 32 * r + 8 * c, s);
  }

  if (h.dim[0] < 1 || h.dim[0] > 7)
    throw InputError(name, "bad dim[0] = " + std::to_string(h.dim[0]) + " (must be 1..7)");
  std::uint64_t voxels = 1;
  for (int d = 1; d <= h.dim[0]; ++d) {
    if (h.dim[d] < 1) throw InputError(name, "bad dim[" + std::to_string(d) + "] = " + std::to_string(h.dim[d]));
    if (voxels > limits.maxVoxels / std::uint64_t(h.dim[d]))
      throw InputError(name,
                       "header declares an absurd image size (over " + std::to_string(limits.maxVoxels) + " voxels)");
    voxels *= std::uint64_t(h.dim[d]);
  }
  for (int d = 5; d <= h.dim[0]; ++d)
    if (h.dim[d] != 1)
      throw InputError(name, "images with more than 4 dimensions are not supported (dim[" + std::to_string(d) +
                                 "] = " + std::to_string(h.dim[d]) + ")");
  if (h.bytesPerVoxel() == 0)
    throw InputError(name, "unsupported NIfTI data type " + std::to_string(h.datatype) +
                               " (complex and RGB voxels are not images Voxplain can explain)");
  if (h.bitpix != 8 * h.bytesPerVoxel())
    throw InputError(name, "bitpix " + std::to_string(h.bitpix) + " does not match data type " + h.dataTypeName());
  // Non-finite or singular transforms make ITK's VNL abort(): refuse them here (found by fuzz_nifti).
  for (int d = 0; d <= std::min<std::int64_t>(7, h.dim[0]); ++d)
    if (!std::isfinite(h.pixdim[d])) throw InputError(name, "pixdim[" + std::to_string(d) + "] is not a number");
  if (!std::isfinite(h.sclSlope) || !std::isfinite(h.sclInter))
    throw InputError(name, "scl_slope/scl_inter is not a number");
  if (h.sformCode > 0) {
    Mat3 m{};
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) {
        if (!std::isfinite(h.srow[r][c])) throw InputError(name, "sform (srow) holds a value that is not a number");
        if (c < 3) m[3 * r + c] = h.srow[r][c];
      }
    // Extreme magnitudes send ITK's float SVD into an endless loop (found by fuzz_nifti):
    // require voxel sizes of 1e-6..1e6 mm, offsets within 1e7 mm and well-separated axes.
    double volume = 1.0;
    for (int c = 0; c < 3; ++c) {
      const double len = norm({m[c], m[3 + c], m[6 + c]});
      if (!(len >= 1e-6 && len <= 1e6)) throw InputError(name, "sform voxel size outside 1e-6..1e6 mm");
      volume *= len;
    }
    for (int r = 0; r < 3; ++r)
      if (std::abs(h.srow[r][3]) > 1e7) throw InputError(name, "sform offset beyond 1e7 mm");
    if (std::abs(determinant(m)) < 1e-6 * volume) throw InputError(name, "sform is singular (collapsed axes)");
  }
  if (h.qformCode > 0) {
    for (int q = 0; q < 3; ++q)
      if (!std::isfinite(h.quatern[q]) || !std::isfinite(h.qoffset[q]))
        throw InputError(name, "qform (quatern/qoffset) holds a value that is not a number");
    if (h.quatern[0] * h.quatern[0] + h.quatern[1] * h.quatern[1] + h.quatern[2] * h.quatern[2] > 1.0 + 1e-4)
      throw InputError(name, "qform quaternion b,c,d has a norm above 1");
    for (int q = 0; q < 3; ++q)
      if (std::abs(h.qoffset[q]) > 1e7) throw InputError(name, "qform offset beyond 1e7 mm");
  }
  for (int d = 1; d <= std::min<std::int64_t>(3, h.dim[0]); ++d) {
    if (std::abs(h.pixdim[d]) > 1e6) throw InputError(name, "pixdim[" + std::to_string(d) + "] above 1e6 mm");
    if (h.qformCode > 0 && h.sformCode <= 0 && std::abs(h.pixdim[d]) < 1e-6)
      throw InputError(name, "pixdim[" + std::to_string(d) + "] is zero, so the qform has no voxel size");
  }

  if (h.singleFile) {
    h.imageFile = path;
    const std::int64_t minOffset = h.version == 1 ? 352 : 544;
    if (h.voxOffset < minOffset) h.voxOffset = minOffset;  // pre-standard writers leave 0
  } else {
    h.imageFile = pairedImageFile(path);
    if (h.imageFile.empty()) throw InputError(name, "header of a .hdr/.img pair whose image file (.img) is missing");
    h.voxOffset = std::max<std::int64_t>(h.voxOffset, 0);
  }
  // The voxels must fit in the file (catches truncated files before reading). ITK's znz reader
  // returns a short .gz read without an error, so compressed files are measured by streaming them.
  const std::string imageName = h.imageFile.string();
  const std::uint64_t need = std::uint64_t(h.voxOffset) + voxels * std::uint64_t(h.bytesPerVoxel());
  std::uint64_t have = 0;
  if (!endsWith(imageName, ".gz")) {
    have = fs::file_size(h.imageFile, ec);
  } else {
    GzFile image = openGz(h.imageFile, "rb");
    if (!image) throw InputError(imageName, "cannot open the file for reading");
    std::vector<unsigned char> chunk(1 << 20);
    int n;
    while ((n = gzread(image.get(), chunk.data(), unsigned(chunk.size()))) > 0) have += std::uint64_t(n);
    int err = Z_OK;
    const char* msg = gzerror(image.get(), &err);
    if (err != Z_OK && err != Z_STREAM_END)
      throw InputError(imageName, std::string("corrupt or truncated gzip data (") + msg + ")");
  }
  if (!ec && have < need)
    throw InputError(imageName, "truncated: voxel data needs " + std::to_string(need) + " bytes, the file has " +
                                    std::to_string(have) + (endsWith(imageName, ".gz") ? " (uncompressed)" : ""));
  return h;
}

LoadedImage readNifti2(const fs::path& path, const NiftiHeader& h) {
  const std::string name = h.imageFile.string();
  GzFile f = openGz(h.imageFile, "rb");
  if (!f) throw InputError(name, "cannot open the file for reading");
  if (gzseek(f.get(), z_off_t(h.voxOffset), SEEK_SET) < 0) throw InputError(name, "cannot seek to the voxel data");
  const Geometry g = h.geometry();
  const std::size_t perVolume = g.voxelCount();
  const std::size_t volumes = std::size_t(h.voxelCount() / perVolume);
  const int bpv = h.bytesPerVoxel();
  std::vector<unsigned char> raw(perVolume * std::size_t(bpv));
  const bool scale = h.sclSlope != 0.0 && std::isfinite(h.sclSlope) && std::isfinite(h.sclInter);

  LoadedImage out;
  out.source = path.string();
  out.format = "NIfTI-2";
  out.storedDataType = h.dataTypeName();
  out.description = h.descrip;
  for (std::size_t v = 0; v < volumes; ++v) {
    std::size_t done = 0;
    while (done < raw.size()) {
      const unsigned chunk = unsigned(std::min<std::size_t>(raw.size() - done, 1u << 30));
      const int n = gzread(f.get(), raw.data() + done, chunk);
      if (n <= 0)
        throw InputError(name, "truncated: the voxel data ends early (volume " + std::to_string(v + 1) + " of " +
                                   std::to_string(volumes) + ")");
      done += std::size_t(n);
    }
    Volume vol(g);
    float* dst = vol.data();
    const bool sw = h.byteSwapped;
    for (std::size_t i = 0; i < perVolume; ++i) {
      const unsigned char* p = raw.data() + i * std::size_t(bpv);
      double value = 0.0;
      switch (h.datatype) {
        case 2:
          value = readAt<std::uint8_t>(p, 0, sw);
          break;
        case 256:
          value = readAt<std::int8_t>(p, 0, sw);
          break;
        case 4:
          value = readAt<std::int16_t>(p, 0, sw);
          break;
        case 512:
          value = readAt<std::uint16_t>(p, 0, sw);
          break;
        case 8:
          value = readAt<std::int32_t>(p, 0, sw);
          break;
        case 768:
          value = readAt<std::uint32_t>(p, 0, sw);
          break;
        case 16:
          value = readAt<float>(p, 0, sw);
          break;
        case 64:
          value = readAt<double>(p, 0, sw);
          break;
        case 1024:
          value = double(readAt<std::int64_t>(p, 0, sw));
          break;
        case 1280:
          value = double(readAt<std::uint64_t>(p, 0, sw));
          break;
      }
      dst[i] = float(scale ? value * h.sclSlope + h.sclInter : value);
    }
    out.volumes.push_back(std::move(vol));
  }
  return out;
}

void writeNifti2(const std::vector<Volume>& volumes, const fs::path& path) {
  if (volumes.empty()) throw std::invalid_argument("writeNifti2: no volumes");
  const Geometry& g = volumes.front().geometry();
  unsigned char hdr[544] = {};
  writeAt<std::int32_t>(hdr, 0, 540);
  const unsigned char magic[8] = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};  // "n+2\0\r\n\032\n"
  std::memcpy(hdr + 4, magic, sizeof magic);
  writeAt<std::int16_t>(hdr, 12, 16);  // float32
  writeAt<std::int16_t>(hdr, 14, 32);
  const std::int64_t dims[8] = {volumes.size() > 1 ? 4 : 3,
                                std::int64_t(g.size[0]),
                                std::int64_t(g.size[1]),
                                std::int64_t(g.size[2]),
                                std::int64_t(volumes.size()),
                                1,
                                1,
                                1};
  for (int d = 0; d < 8; ++d) writeAt<std::int64_t>(hdr, 16 + 8 * d, dims[d]);
  const double pix[8] = {1.0, g.spacing[0], g.spacing[1], g.spacing[2], 1.0, 1.0, 1.0, 1.0};
  for (int d = 0; d < 8; ++d) writeAt<double>(hdr, 104 + 8 * d, pix[d]);
  writeAt<std::int64_t>(hdr, 168, 544);
  writeAt<double>(hdr, 176, 1.0);
  writeAt<std::int32_t>(hdr, 348, 1);  // sform_code = NIFTI_XFORM_SCANNER_ANAT
  for (int r = 0; r < 3; ++r) {
    const double sign = r < 2 ? -1.0 : 1.0;  // LPS -> RAS
    for (int c = 0; c < 3; ++c)
      writeAt<double>(hdr, 400 + 32 * r + 8 * c, sign * g.direction[3 * r + c] * g.spacing[c]);
    writeAt<double>(hdr, 400 + 32 * r + 24, sign * g.origin[r]);
  }
  writeAt<std::int32_t>(hdr, 500, 2 | 8);  // mm, s
  const bool gz = endsWith(path.string(), ".gz");
  GzFile f = openGz(path, gz ? "wb6" : "wbT");
  if (!f) throw InputError(path.string(), "cannot open for writing");
  bool ok = gzwrite(f.get(), hdr, sizeof(hdr)) == int(sizeof(hdr));
  for (const Volume& v : volumes) {
    const auto bytes = v.voxelCount() * sizeof(float);
    std::size_t done = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(v.data());
    while (ok && done < bytes) {
      const unsigned chunk = unsigned(std::min<std::size_t>(bytes - done, 1u << 30));
      ok = gzwrite(f.get(), p + done, chunk) == int(chunk);
      done += chunk;
    }
  }
  if (gzclose(f.release()) != Z_OK || !ok) throw InputError(path.string(), "write failed (disk full?)");
}

}  // namespace voxplain
