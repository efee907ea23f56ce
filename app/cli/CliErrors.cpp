#include "CliErrors.h"

#ifdef VOXPLAIN_HAS_IO
#include "io/ImageReader.h"
#endif
#include "model/NnunetFolder.h"

namespace voxplain::cli {

const char* flagOf(InputField field) {
  switch (field) {
    case InputField::Model:
      return "--model";
    case InputField::Method:
      return "--method";
    case InputField::Parameter:
      return "--param";
    case InputField::Target:
      return "--target";
    case InputField::Device:
      return "--device";
    case InputField::Precision:
      return "--precision";
    case InputField::Baseline:
      return "--baseline";
    case InputField::Layers:
      return "--layers";
    case InputField::Size:
      return "--size";
    case InputField::Shard:
      return "--shard";
  }
  return "--input";
}

std::string cliMessage(const InputError& error) {
#ifdef VOXPLAIN_HAS_IO
  if (dynamic_cast<const SeriesChoiceNeeded*>(&error))
    return std::string(error.what()) + "; voxplain-cli convert --series UID writes one as NIfTI";
#endif
  if (dynamic_cast<const NnunetChoiceNeeded*>(&error)) return std::string(error.what()) + " with --configuration NAME";
  if (!error.field()) return error.what();
  const std::string& value = error.source();
  return std::string(flagOf(*error.field())) + (value.empty() ? "" : " " + value) + ": " + error.reason();
}

}  // namespace voxplain::cli
