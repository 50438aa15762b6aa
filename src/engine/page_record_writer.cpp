#include "engine/page_record_writer.h"

#include <algorithm>
#include <vector>

namespace isrgen {

PageRecordWriter::PageRecordWriter(DepIndex::BuildTransaction& transaction, size_t queue_capacity, size_t batch)
    : transaction_(transaction),
      capacity_(std::max<size_t>(queue_capacity, 1)),
      batch_(std::clamp<size_t>(batch, 1, capacity_)),
      thread_([this] { write_queued(); }) {}

PageRecordWriter::~PageRecordWriter() { finish(); }

void PageRecordWriter::submit(const PageRecord& page) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return queue_.size() < capacity_ || finishing_; });
  if (finishing_) return;
  queue_.push_back(&page);
  if (queue_.size() == batch_) queued_.notify_one();
}

size_t PageRecordWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  queued_.notify_one();
  room_.notify_all();
  if (thread_.joinable()) thread_.join();
  return put_;
}

void PageRecordWriter::write_queued() {
  std::vector<const PageRecord*> taken;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return queue_.size() >= batch_ || finishing_; });
      if (queue_.empty()) return;  // finishing, and nothing left
      taken.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    room_.notify_all();
    for (const PageRecord* page : taken) transaction_.put_page(*page);
    put_ += taken.size();
  }
}

}  // namespace isrgen
