#include "io/Jpeg2000Decoder.h"

#include <gdcmImage.h>
#include <gdcmImageReader.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>

#include <mutex>

#include "task/InputError.h"

namespace voxplain {

bool isJpeg2000TransferSyntax(const std::string& transferSyntaxUid) {
  switch (gdcm::TransferSyntax::GetTSType(transferSyntaxUid.c_str())) {
    case gdcm::TransferSyntax::JPEG2000Lossless:
    case gdcm::TransferSyntax::JPEG2000:
    case gdcm::TransferSyntax::JPEG2000Part2Lossless:
    case gdcm::TransferSyntax::JPEG2000Part2:
      return true;
    default:
      return false;
  }
}

std::vector<char> decodeJpeg2000PixelData(const std::string& file, std::size_t expectedBytes) {
  static std::once_flag quiet;
  // GDCM's warnings go to std::cerr; the reasons that matter reach the user as InputError.
  std::call_once(quiet, [] {
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetError(false);
  });
  gdcm::ImageReader reader;
  reader.SetFileName(file.c_str());
  if (!reader.Read()) throw InputError(file, "GDCM cannot read this JPEG 2000 object");
  const gdcm::Image& image = reader.GetImage();
  if (!image.GetTransferSyntax().IsEncapsulated())
    throw InputError(file, "the JPEG 2000 transfer syntax is declared but the Pixel Data is not encapsulated");
  const unsigned long length = image.GetBufferLength();
  if (length != expectedBytes)
    throw InputError(file, "JPEG 2000 Pixel Data decodes to " + std::to_string(length) +
                               " bytes where the header needs " + std::to_string(expectedBytes));
  std::vector<char> buffer(length);
  if (!image.GetBuffer(buffer.data())) throw InputError(file, "JPEG 2000 Pixel Data cannot be decoded (GDCM/OpenJPEG)");
  return buffer;
}

}  // namespace voxplain
