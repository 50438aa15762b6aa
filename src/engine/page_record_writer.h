// Records rendered pages in the build's transaction while the others still
// render, so that little is left to write when the last one finishes. A
// thread of its own takes each finished page from a bounded queue and puts it
// (DepIndex::BuildTransaction::put_page): from construction to finish() it is
// the only thread that touches the transaction, and so the SQLite connection.
// Nothing is committed here: a build that fails or is killed before its
// commit keeps none of it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "state/dep_index.h"

namespace isrgen {

class PageRecordWriter {
 public:
  // Starts the thread. `transaction` must outlive this; other threads leave
  // it alone until finish(). At most `queue_capacity` pages wait to be put;
  // the thread wakes when `batch` of them wait (or at finish()), not for each
  // page: waking per page cost a futex call or two a page.
  explicit PageRecordWriter(DepIndex::BuildTransaction& transaction, size_t queue_capacity = 1024,
                            size_t batch = 64);
  // Finishes, if finish() was not called.
  ~PageRecordWriter();
  PageRecordWriter(const PageRecordWriter&) = delete;
  PageRecordWriter& operator=(const PageRecordWriter&) = delete;

  // Queues `page` to be put; waits while the queue is full. Safe from any
  // thread. The page is read by the writer thread: it must stay alive and
  // unchanged until finish() returns. Ignored after finish().
  void submit(const PageRecord& page);

  // Puts every page queued, then ends the thread; the transaction is the
  // caller's again. Returns how many pages were put (in all, however many
  // times it is called). Whether they were written is the transaction's
  // status (a failed put makes the commit fail).
  size_t finish();

 private:
  void write_queued();

  DepIndex::BuildTransaction& transaction_;
  const size_t capacity_;
  const size_t batch_;
  std::mutex mutex_;
  std::condition_variable queued_;  // a batch was queued, or finishing
  std::condition_variable room_;    // the queue has room
  std::deque<const PageRecord*> queue_;
  bool finishing_ = false;
  size_t put_ = 0;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace isrgen
