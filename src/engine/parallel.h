// Runs work(i) for i in [0, count) on up to `jobs` threads. Items are taken in
// index order, so callers sort by priority first; the calling thread works too.
#pragma once

#include <cstddef>
#include <functional>

namespace isrgen {

void parallel_for(size_t count, int jobs, const std::function<void(size_t)>& work);

// The default for --jobs: every core the process may use.
int default_jobs();

}  // namespace isrgen
