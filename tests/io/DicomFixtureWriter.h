#pragma once
// Writes small synthetic DICOM series with DCMTK for tests: exact, known geometry and voxel
// values given by a function of the physical position, so loaders can be checked anywhere.

#include <functional>
#include <string>
#include <vector>

#include "geometry/Geometry.h"

namespace voxplain::testing {

struct SeriesSpec {
  std::string folder;     ///< created if missing
  std::string seriesUid;  ///< generated when empty
  std::string studyUid = "1.2.826.0.1.3680043.9.7533.1";
  std::string modality = "CT";
  std::string description = "synthetic";
  int seriesNumber = 1;
  unsigned rows = 12, columns = 10;
  double rowSpacing = 0.8, columnSpacing = 0.7;  ///< PixelSpacing[0], [1]
  Vec3 rowCosine{1, 0, 0}, columnCosine{0, 1, 0};
  std::vector<Vec3> positions;  ///< one ImagePositionPatient per slice (file)
  double slope = 0.1, intercept = -100.0;
  int echoNumber = 0;
  double gantryTilt = 0.0;
  /// Transfer syntax to save with: "explicit", "implicit", "jpeg-lossless", "jpeg-ls", "rle", "deflate",
  /// "jpeg-baseline" (lossy, 8-bit: stored values are clamped to 0..255).
  std::string transferSyntax = "explicit";
  bool instanceNumbersDescending = false;
  /// Value (modality units) at an LPS point; stored as round((v - intercept) / slope) in int16.
  std::function<double(const Vec3&)> value;
};

/// Writes one file per position; returns the SeriesInstanceUID used. Throws std::runtime_error.
std::string writeSeries(const SeriesSpec& spec);

/// Writes a non-image object (Basic Text SR) to `file`.
void writeStructuredReport(const std::string& file);
/// Writes an Encapsulated PDF object to `file`.
void writeEncapsulatedPdf(const std::string& file);
/// Writes a CT image object whose Pixel Data element is absent.
void writeImageWithoutPixelData(const std::string& file);
/// Writes a CT image claiming `rows` x `columns` x `frames` with only a few bytes of Pixel Data.
void writeImageWithAbsurdSize(const std::string& file, unsigned rows, unsigned columns, unsigned frames);

/// Positions of `count` slices starting at `origin`, stepping `step` (LPS mm) each.
std::vector<Vec3> stackPositions(const Vec3& origin, const Vec3& step, int count);

}  // namespace voxplain::testing
