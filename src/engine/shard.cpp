#include "engine/shard.h"

#include <charconv>

#include "util/hash.h"

namespace isrgen {
namespace {

// The decimal number `text` is, when it is one of at most three digits.
bool parse_small_number(std::string_view text, int& value) {
  if (text.empty() || text.size() > 3) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<Shard> parse_shard(std::string_view text, const std::string& where) {
  if (text.empty()) return Shard{};
  Shard shard;
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos && parse_small_number(text.substr(0, slash), shard.index) &&
      parse_small_number(text.substr(slash + 1), shard.count) && shard.count >= 1 && shard.count <= kMostShards &&
      shard.index >= 1 && shard.index <= shard.count)
    return shard;
  return make_error(where, 0, "'" + std::string(text) + "' is not a shard: give I/N with 1 <= I <= N <= " +
                                  std::to_string(kMostShards) + " (--shard 2/4 builds the second of four parts)");
}

std::string shard_text(const Shard& shard) {
  return shard.sharded() ? std::to_string(shard.index) + "/" + std::to_string(shard.count) : std::string();
}

bool shard_owns(const Shard& shard, const std::string& page) {
  if (!shard.sharded()) return true;
  return content_hash64(page) % static_cast<uint64_t>(shard.count) == static_cast<uint64_t>(shard.index - 1);
}

}  // namespace isrgen
