// A deterministic stand-in for libFuzzer's driver, used in the regular (gcc) build so that every
// ctest run exercises the harnesses: each seed file, then fixed-seed mutations of it (byte flips,
// truncations, 16/32-bit field overwrites with extreme values). `fuzz_x SEED... [-mutations=N]`.
// The real coverage-guided fuzzer is the VOXPLAIN_FUZZ=ON clang build (README, Development).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t mutations = 200;
  std::vector<std::filesystem::path> seeds;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("-mutations=", 0) == 0)
      mutations = std::stoul(a.substr(11));
    else if (std::filesystem::is_directory(a))
      for (const auto& e : std::filesystem::recursive_directory_iterator(a)) {
        if (e.is_regular_file()) seeds.push_back(e.path());
      }
    else
      seeds.push_back(a);
  }
  std::uint64_t state = 0x5eed;
  auto next = [&]() {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  std::size_t runs = 0;
  for (const auto& seed : seeds) {
    std::ifstream in(seed, std::ios::binary);
    const std::vector<std::uint8_t> original((std::istreambuf_iterator<char>(in)), {});
    LLVMFuzzerTestOneInput(original.data(), original.size());
    ++runs;
    for (std::size_t m = 0; m < mutations && !original.empty(); ++m) {
      std::vector<std::uint8_t> bytes = original;
      switch (next() % 4) {
        case 0:  // flip a few bytes
          for (int k = 0; k < 4; ++k) bytes[next() % bytes.size()] ^= std::uint8_t(next());
          break;
        case 1:  // truncate
          bytes.resize(next() % bytes.size());
          break;
        case 2: {  // extreme 16-bit value in the first 1 KiB (header fields)
          const std::size_t at = next() % std::min<std::size_t>(bytes.size(), 1024);
          const std::uint16_t v = (next() & 1) ? 0xffff : 0x8000;
          std::memcpy(bytes.data() + at, &v, std::min<std::size_t>(2, bytes.size() - at));
          break;
        }
        default: {  // extreme 32-bit value (lengths, dims)
          const std::size_t at = next() % std::min<std::size_t>(bytes.size(), 1024);
          const std::uint32_t v = (next() & 1) ? 0xffffffffu : 0x7fffffffu;
          std::memcpy(bytes.data() + at, &v, std::min<std::size_t>(4, bytes.size() - at));
        }
      }
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
      ++runs;
    }
  }
  std::printf("replayed %zu inputs from %zu seeds without a crash\n", runs, seeds.size());
  return seeds.empty() ? 1 : 0;
}
