#pragma once
// JPEG 2000 pixel data, decoded by GDCM with OpenJPEG: Debian's DCMTK has no JPEG 2000 codec, and
// GDCM is installed with ITK anyway.

#include <string>
#include <vector>

namespace voxplain {

/// Whether `transferSyntaxUid` is one of the JPEG 2000 transfer syntaxes (1.2.840.10008.1.2.4.90,
/// .91, and the multi-component .92, .93).
bool isJpeg2000TransferSyntax(const std::string& transferSyntaxUid);

/// Decodes the Pixel Data of every frame of `file` (a JPEG 2000 DICOM object) into stored values,
/// frame after frame, BitsAllocated per value, little endian: the layout of uncompressed Pixel Data.
/// Throws InputError naming `file` when GDCM cannot read or decode it, or when the decoded length
/// differs from `expectedBytes` (rows x columns x frames x BitsAllocated / 8 from the header).
std::vector<char> decodeJpeg2000PixelData(const std::string& file, std::size_t expectedBytes);

}  // namespace voxplain
