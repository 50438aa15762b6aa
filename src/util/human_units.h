// Sizes and durations as a user reads them in an error message:
// "16 MiB", "1.5 KiB", "300 bytes"; "30 s", "1.5 s", "200 ms".
#pragma once

#include <cstdint>
#include <string>

namespace isrgen {

std::string format_bytes(int64_t bytes);          // binary units (KiB, MiB, GiB)
std::string format_duration_ms(int64_t millis);  // ms below a second, else seconds

}  // namespace isrgen
