// s3rver, a local S3-compatible server (installed by scripts/install-test-tools
// into <repo>/.tools), started on a free loopback port over a scratch folder
// for one test and stopped with it. A test can kill it mid-sync and start it
// again on the same port and data, and can wait for the n-th stored object
// (s3rver logs each), so nothing waits for time. It honours conditional PUTs
// (If-None-Match: *, If-Match) as S3 does (tests/s3rver_conditional.js). Missing tools make the test
// fail with the command that installs them.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace isrgen::testing {

class S3rver {
 public:
  explicit S3rver(std::string bucket = "site");
  ~S3rver();
  S3rver(const S3rver&) = delete;
  S3rver& operator=(const S3rver&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& bucket() const { return bucket_; }
  // AWS_* assignments that point a client (isrgen, the aws CLI) at this server.
  std::vector<std::string> environment() const;

  void kill();     // SIGKILL, as a crash would
  void restart();  // the same port and data
  void wait_for_stored_objects(int count);  // since the last (re)start

  // `aws <args>` (Debian's awscli) against this server; stdout, or throws with stderr.
  std::string aws(const std::string& args) const;

 private:
  void start();

  std::string bucket_;
  ScratchDir data_;
  int port_ = 0;
  int pid_ = -1;
  std::thread log_reader_;
  std::mutex mutex_;
  std::condition_variable stored_changed_;
  int stored_ = 0;
};

}  // namespace isrgen::testing
