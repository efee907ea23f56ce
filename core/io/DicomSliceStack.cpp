#include "io/DicomSliceStack.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

#include "task/InputError.h"

namespace voxplain {
namespace {

constexpr double kSamePositionMm = 0.01;  // frames closer than this along the normal share a slice

Vec3 unitNormal(const DicomFrame& f) {
  Vec3 n = cross(f.rowCosine, f.columnCosine);
  const double len = norm(n);
  if (len < 1e-6) return {0, 0, 1};
  return {n[0] / len, n[1] / len, n[2] / len};
}

// Order of repeated frames at one position: temporal index, acquisition, time, instance.
bool repetitionLess(const DicomFrame& a, const DicomFrame& b) {
  return std::tie(a.temporalIndex, a.acquisitionNumber, a.acquisitionTime, a.instanceNumber, a.file, a.frameIndex) <
         std::tie(b.temporalIndex, b.acquisitionNumber, b.acquisitionTime, b.instanceNumber, b.file, b.frameIndex);
}

std::string fmt(double v, int precision = 4) {
  std::ostringstream s;
  s.precision(precision);
  s << v;
  return s.str();
}

// Bilinear sample of one slice at continuous (u, v) pixel coordinates; `outside` beyond half a pixel.
float sampleSlice(const std::vector<float>& px, std::size_t cols, std::size_t rows, double u, double v, float outside) {
  if (u < -0.5 || v < -0.5 || u > double(cols) - 0.5 || v > double(rows) - 0.5) return outside;
  u = std::clamp(u, 0.0, double(cols - 1));
  v = std::clamp(v, 0.0, double(rows - 1));
  const std::size_t u0 = std::size_t(u), v0 = std::size_t(v);
  const std::size_t u1 = std::min(u0 + 1, cols - 1), v1 = std::min(v0 + 1, rows - 1);
  const double fu = u - double(u0), fv = v - double(v0);
  const double top = px[v0 * cols + u0] * (1 - fu) + px[v0 * cols + u1] * fu;
  const double bottom = px[v1 * cols + u0] * (1 - fu) + px[v1 * cols + u1] * fu;
  return float(top * (1 - fv) + bottom * fv);
}

}  // namespace

double sliceCoordinate(const DicomFrame& f) {
  return dot(f.position, unitNormal(f));
}

std::vector<SliceStackVolume> arrangeSlices(std::vector<DicomFrame> frames, const std::string& where) {
  if (frames.size() > 1)
    for (const DicomFrame& f : frames)
      if (!f.hasPosition || !f.hasOrientation)
        throw InputError(f.file,
                         "frame " + std::to_string(f.frameIndex + 1) +
                             " has no ImagePositionPatient/ImageOrientationPatient, so the slices cannot be placed");
  std::stable_sort(frames.begin(), frames.end(), [](const DicomFrame& a, const DicomFrame& b) {
    const double za = sliceCoordinate(a), zb = sliceCoordinate(b);
    if (std::abs(za - zb) > kSamePositionMm) return za < zb;
    return repetitionLess(a, b);
  });
  // Cluster positions.
  std::vector<std::vector<DicomFrame>> positions;
  for (const DicomFrame& f : frames) {
    if (positions.empty() || std::abs(sliceCoordinate(f) - sliceCoordinate(positions.back().front())) > kSamePositionMm)
      positions.emplace_back();
    positions.back().push_back(f);
  }
  const std::size_t repeats = positions.front().size();
  const bool even = std::all_of(positions.begin(), positions.end(), [&](const auto& p) { return p.size() == repeats; });
  if (even) {
    SliceStackVolume stack;
    stack.volumes.assign(repeats, {});
    for (auto& p : positions) {
      std::sort(p.begin(), p.end(), repetitionLess);
      for (std::size_t t = 0; t < repeats; ++t) stack.volumes[t].push_back(p[t]);
    }
    return {stack};
  }
  // Uneven repetition: separate acquisitions if they tell the frames apart.
  std::map<int, std::vector<DicomFrame>> byAcquisition;
  for (const DicomFrame& f : frames) byAcquisition[f.acquisitionNumber].push_back(f);
  if (byAcquisition.size() > 1) {
    std::vector<SliceStackVolume> out;
    for (auto& [acq, part] : byAcquisition) {
      std::vector<SliceStackVolume> sub = arrangeSlices(part, where);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
  }
  throw InputError(where,
                   "slice positions repeat unevenly (" + std::to_string(frames.size()) + " frames at " +
                       std::to_string(positions.size()) +
                       " positions) and no acquisition number separates them; is a slice missing from one time point?");
}

void buildVolumes(const SliceStackVolume& stack, const FramePixels& pixels, LoadedImage& out) {
  const DicomFrame& first = stack.volumes.front().front();
  const std::size_t cols = first.columns, rows = first.rows;
  const std::size_t slices = stack.volumes.front().size();
  const Vec3 normal = unitNormal(first);

  Geometry g;
  g.size = {cols, rows, slices};
  g.spacing = {first.columnSpacing, first.rowSpacing, 1.0};
  g.origin = first.hasPosition ? first.position : Vec3{0, 0, 0};
  for (int r = 0; r < 3; ++r) {
    g.direction[3 * r + 0] = first.rowCosine[r];
    g.direction[3 * r + 1] = first.columnCosine[r];
    g.direction[3 * r + 2] = normal[r];
  }
  if (!first.hasPixelSpacing) out.notes.push_back("no PixelSpacing: 1 mm in-plane spacing assumed");
  if (!(first.rowSpacing > 0 && first.columnSpacing > 0 && first.rowSpacing < 1e6 && first.columnSpacing < 1e6))
    throw InputError(first.file, "PixelSpacing is not a positive size in mm");
  for (const auto& volumeFrames : stack.volumes)
    for (const DicomFrame& f : volumeFrames)
      for (double v : f.position)
        if (!std::isfinite(v) || std::abs(v) > 1e7)
          throw InputError(f.file, "ImagePositionPatient is not a finite position");
  if (first.hasOrientation) {
    const double rowLength = norm(first.rowCosine), columnLength = norm(first.columnCosine);
    if (!(std::abs(rowLength - 1.0) < 0.01 && std::abs(columnLength - 1.0) < 0.01) ||
        std::abs(dot(first.rowCosine, first.columnCosine)) > 0.01)
      throw InputError(first.file, "ImageOrientationPatient is not a pair of perpendicular unit vectors");
  }
  if (!first.hasPosition || !first.hasOrientation)
    out.notes.push_back("no ImagePositionPatient/ImageOrientationPatient: identity orientation at origin 0 assumed");

  // Slice coordinates and in-plane offsets (mm) of each slice relative to the first.
  const std::vector<DicomFrame>& ref = stack.volumes.front();
  std::vector<double> z(slices);
  std::vector<double> shiftRow(slices), shiftCol(slices);
  double maxShift = 0.0;
  for (std::size_t s = 0; s < slices; ++s) {
    z[s] = sliceCoordinate(ref[s]);
    const Vec3 d{ref[s].position[0] - first.position[0], ref[s].position[1] - first.position[1],
                 ref[s].position[2] - first.position[2]};
    shiftRow[s] = dot(d, first.rowCosine);
    shiftCol[s] = dot(d, first.columnCosine);
    maxShift = std::max(maxShift, std::hypot(shiftRow[s], shiftCol[s]));
  }

  bool regular = true;
  if (slices == 1) {
    g.spacing[2] = first.spacingBetweenSlices > 0 ? first.spacingBetweenSlices
                   : first.sliceThickness > 0     ? first.sliceThickness
                                                  : 1.0;
    out.notes.push_back("single slice: slice spacing " + fmt(g.spacing[2]) + " mm taken from " +
                        (first.spacingBetweenSlices > 0 ? "SpacingBetweenSlices"
                         : first.sliceThickness > 0     ? "SliceThickness"
                                                        : "a 1 mm default"));
  } else {
    double minGap = 1e300, maxGap = 0.0;
    for (std::size_t s = 1; s < slices; ++s) {
      minGap = std::min(minGap, z[s] - z[s - 1]);
      maxGap = std::max(maxGap, z[s] - z[s - 1]);
    }
    const double extent = z.back() - z.front();
    const bool uniform = maxGap - minGap <= std::max(0.01, 0.01 * minGap);
    const bool tilted = maxShift > std::max(0.01, 0.01 * std::min(g.spacing[0], g.spacing[1]));
    g.spacing[2] = uniform ? extent / double(slices - 1) : minGap;
    if (!uniform) {
      regular = false;
      // Never extrapolate past the last slice: the grid ends at or before it.
      const std::size_t target = std::size_t(std::floor(extent / minGap + 1e-3)) + 1;
      const std::size_t missing = target > slices ? target - slices : 0;
      bool multiples = true;
      for (std::size_t s = 1; s < slices; ++s) {
        const double ratio = (z[s] - z[s - 1]) / minGap;
        multiples = multiples && std::abs(ratio - std::round(ratio)) < 0.05;
      }
      if (multiples && missing > 0)
        out.notes.push_back(std::to_string(missing) + " missing slice(s) (gaps of up to " + fmt(maxGap) + " mm where " +
                            fmt(minGap) +
                            " mm is regular): filled by linear interpolation between neighbouring slices");
      else
        out.notes.push_back("non-uniform slice spacing (gaps " + fmt(minGap) + " to " + fmt(maxGap) +
                            " mm): resampled to uniform " + fmt(minGap) + " mm by linear interpolation");
      g.size[2] = target;
    }
    if (tilted) {
      regular = false;
      const double angle = std::atan2(maxShift, extent) * 180.0 / M_PI;
      std::string note = "gantry tilt / sheared stack of " + fmt(angle, 3) + " degrees (in-plane shift of " +
                         fmt(maxShift) + " mm over the stack";
      if (first.gantryTilt != 0.0) note += ", GantryDetectorTilt " + fmt(first.gantryTilt, 3);
      out.notes.push_back(note + "): slices resampled onto an orthogonal grid");
    }
  }
  out.volumes.clear();
  for (const auto& volumeFrames : stack.volumes) {
    Volume vol(g);
    float* dst = vol.data();
    const std::size_t perSlice = cols * rows;
    if (regular) {
      for (std::size_t s = 0; s < slices; ++s) {
        const DicomFrame& f = volumeFrames[s];
        const std::vector<float>& px = pixels(f);
        for (std::size_t i = 0; i < perSlice; ++i)
          dst[s * perSlice + i] = float(px[i] * f.rescaleSlope + f.rescaleIntercept);
      }
    } else {
      // Rescaled slices, then resample: target slice t at z0 + t * dz, same in-plane grid as slice 0.
      std::vector<std::vector<float>> rescaled(slices);
      float lowest = 1e30f;
      for (std::size_t s = 0; s < slices; ++s) {
        const DicomFrame& f = volumeFrames[s];
        const std::vector<float>& px = pixels(f);
        rescaled[s].resize(perSlice);
        for (std::size_t i = 0; i < perSlice; ++i) {
          rescaled[s][i] = float(px[i] * f.rescaleSlope + f.rescaleIntercept);
          lowest = std::min(lowest, rescaled[s][i]);
        }
      }
      for (std::size_t t = 0; t < g.size[2]; ++t) {
        const double zt = z.front() + double(t) * g.spacing[2];
        std::size_t b = std::size_t(std::upper_bound(z.begin(), z.end(), zt + 1e-6) - z.begin());
        b = std::clamp<std::size_t>(b, 1, slices - 1);
        const std::size_t a = b - 1;
        const double w = std::clamp((zt - z[a]) / std::max(z[b] - z[a], 1e-9), 0.0, 1.0);
        for (std::size_t j = 0; j < rows; ++j)
          for (std::size_t i = 0; i < cols; ++i) {
            float va = sampleSlice(rescaled[a], cols, rows, double(i) - shiftRow[a] / g.spacing[0],
                                   double(j) - shiftCol[a] / g.spacing[1], lowest);
            float vb = sampleSlice(rescaled[b], cols, rows, double(i) - shiftRow[b] / g.spacing[0],
                                   double(j) - shiftCol[b] / g.spacing[1], lowest);
            dst[t * perSlice + j * cols + i] = float(va * (1 - w) + vb * w);
          }
      }
    }
    out.volumes.push_back(std::move(vol));
  }
}

}  // namespace voxplain
