#include "serve/response_stream.h"

#include <utility>

namespace isrgen::serve {

ResponseStream::ResponseStream(size_t max_pending) : max_pending_(max_pending) {}

bool ResponseStream::push(std::string chunk) {
  std::function<void()> wake;
  bool accepted;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    accepted = pending_chunks_ < max_pending_;
    if (accepted) {
      pending_ += chunk;
      ++pending_chunks_;
    } else {
      closed_ = true;
      pending_.clear();  // a client this far behind starts afresh when it reconnects
      pending_chunks_ = 0;
    }
    wake = std::exchange(wake_, nullptr);
  }
  if (wake) wake();  // outside the lock: it may take() at once
  return accepted;
}

void ResponseStream::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    wake = std::exchange(wake_, nullptr);
  }
  if (wake) wake();
}

bool ResponseStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

ResponseStream::Taken ResponseStream::take(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  Taken taken{std::exchange(pending_, std::string()), closed_};
  pending_chunks_ = 0;
  wake_ = taken.bytes.empty() && !closed_ ? std::move(wake) : nullptr;
  return taken;
}

}  // namespace isrgen::serve
