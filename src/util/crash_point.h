// Crash points for the crash-safety tests. With ISRGEN_FAULT_KILL_AT=STEP:N in
// the environment, the process kills itself (SIGKILL, as a power cut or the
// OOM killer would end it) at the N-th step of that kind, so a test can stop a
// build at every place that writes and check that the next build converges to
// a fresh full build. Without the variable a crash point costs one branch.
#pragma once

namespace isrgen {

enum class CrashStep {
  kWrite,      // "write": an atomic write, its temporary file written, before the rename
  kDelete,     // "delete": just after an output file was removed
  kCommit,     // "commit": just before the state index commits a build
  kCommitted,  // "committed": after the commit, before the temporary folder is removed
};

// Counts a step of `step`'s kind, and kills the process at the step asked for.
void crash_point(CrashStep step);

}  // namespace isrgen
