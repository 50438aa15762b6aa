// The body of an answer that stays open and is written as it comes: a stream
// of server-sent events (`isrgen dev`'s live reload). A producer pushes chunks
// from any thread; the HTTP server writes them in order, and ends the answer
// by closing the connection once the stream is closed (an answer without
// Content-Length ends with its connection).
//
// A client that reads too slowly never holds a producer up nor makes memory
// grow: past max_pending chunks not yet written, the stream closes itself and
// drops them (an EventSource reconnects and starts from the current state).
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace isrgen::serve {

class ResponseStream {
 public:
  explicit ResponseStream(size_t max_pending);
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  // Queues `chunk` for the client. False when the stream is closed, now (the
  // client fell max_pending chunks behind) or before: the producer forgets it.
  bool push(std::string chunk);
  // Ends the answer once what is queued is written. Idempotent.
  void close();
  bool closed() const;

  struct Taken {
    std::string bytes;    // every chunk queued, in order; "" when none
    bool closed = false;  // nothing more will come after `bytes`
  };
  // For the server: takes what is queued. When nothing is and the stream is
  // open, `wake` is kept and called once, from the producer's thread, as soon
  // as a chunk or the close comes (a later take replaces it).
  Taken take(std::function<void()> wake);

 private:
  const size_t max_pending_;
  mutable std::mutex mutex_;
  std::string pending_;
  size_t pending_chunks_ = 0;
  bool closed_ = false;
  std::function<void()> wake_;
};

}  // namespace isrgen::serve
