// Sizes and durations as a user reads them in an error message:
// "16 MiB", "1.5 KiB", "300 bytes"; "200 ms", "1.5 s", "90 s", "3 min", "5 h", "2 days".
#pragma once

#include <cstdint>
#include <string>

namespace isrgen {

std::string format_bytes(int64_t bytes);          // binary units (KiB, MiB, GiB)
std::string format_duration_ms(int64_t millis);  // ms below a second, then s, min, h, days

}  // namespace isrgen
