#include "util/human_units.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("format_bytes picks the largest binary unit that fits") {
  CHECK(format_bytes(0) == "0 bytes");
  CHECK(format_bytes(1) == "1 byte");
  CHECK(format_bytes(1023) == "1023 bytes");
  CHECK(format_bytes(1024) == "1 KiB");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(16 << 20) == "16 MiB");
  CHECK(format_bytes(int64_t{3} << 30) == "3 GiB");
}

TEST_CASE("format_duration_ms uses seconds from one second up") {
  CHECK(format_duration_ms(0) == "0 ms");
  CHECK(format_duration_ms(200) == "200 ms");
  CHECK(format_duration_ms(1000) == "1 s");
  CHECK(format_duration_ms(1500) == "1.5 s");
  CHECK(format_duration_ms(30'000) == "30 s");
  CHECK(format_duration_ms(119'000) == "119 s");
  CHECK(format_duration_ms(120'000) == "2 min");
  CHECK(format_duration_ms(7'199'000) == "119 min");
  CHECK(format_duration_ms(7'200'000) == "2 h");
  CHECK(format_duration_ms(172'800'000) == "2 days");
}
