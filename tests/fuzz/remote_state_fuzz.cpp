// Feeds what a state bucket answers (anyone who can write to it may have
// written it) to the three readers of a restore: the manifest, a zstd object
// and the output archive it holds, each within its limits.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "publish/output_archive.h"
#include "publish/remote_state.h"
#include "publish/zstd_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto manifest = isrgen::publish::StateManifest::parse(bytes, "manifest.json");
  if (!manifest.ok()) (void)manifest.error().to_string();
  auto expanded = isrgen::publish::zstd_decompress(bytes, size_t{1} << 22, "objects/x.zst");
  if (!expanded.ok()) (void)expanded.error().to_string();
  // Unpacked into a folder of this process's own, made anew for each input.
  static const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() / ("isrgen-fuzz-state-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
  auto unpacked = isrgen::publish::unpack_output(bytes, scratch / "out");
  if (!unpacked.ok()) (void)unpacked.error().to_string();
  std::filesystem::remove_all(scratch, ec);
  return 0;
}
