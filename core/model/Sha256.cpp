#include "model/Sha256.h"

#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "task/InputError.h"

#ifdef VOXPLAIN_HAS_OPENSSL
#include <openssl/evp.h>
#endif

namespace voxplain {

std::string sha256OfFile(const std::filesystem::path& path) {
#ifdef VOXPLAIN_HAS_OPENSSL
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "cannot open the file to compute its SHA-256");
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), std::streamsize(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), std::size_t(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
#else
  (void)path;
  throw std::runtime_error("this build has no SHA-256 support (OpenSSL was not found)");
#endif
}

}  // namespace voxplain
