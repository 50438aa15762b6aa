// A site's state kept beside the site instead of only in <site>/.isrgen/
// (`--state URL`, [state] url, ISRGEN_STATE): the state index (state.db, with
// the snapshots of remote sources), the deploy state (deploy.db) and the
// output the index describes, so a CI runner that starts empty renders only
// what a commit changed and syncs only that. Before a run the state is
// fetched when the bucket's copy is newer than the local one; after it, it is
// stored back (the run's lease, state_lease.h, keeps two runs from mixing).
//
// In the bucket, under the URL's prefix:
//   manifest.json          {format, generation, stored_at, objects: {name: {key, sha256, bytes}}}
//   objects/<sha256>.zst   each snapshot, zstd-compressed (zstd_codec.h), named by the SHA-256
//                          of its bytes (".gz": gzip, as earlier isrgens stored them; still read)
//   lock.json              the lease
// "Newer" is decided by the manifest's generation, which each store raises by
// one, never by timestamps; the local copy's generation is kept in
// .isrgen/remote-state.json. Objects are named by content, so an unchanged
// store (a run that changed nothing) uploads only the manifest, and a run that
// lost its lease mid-store can only ever write bytes that equal another's.
// The SQLite stores are snapshotted with VACUUM INTO (never a live WAL file)
// and relocated when fetched (state/signature_relocation.h): nothing in them
// depends on the folder or machine they were made on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "publish/state_bucket.h"
#include "publish/state_lease.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::publish {

struct StateManifest {
  struct Entry {
    std::string key;
    std::string sha256;  // of the uncompressed bytes
    int64_t bytes = 0;   // uncompressed
    bool operator==(const Entry&) const = default;
  };
  int64_t generation = 0;
  std::string stored_at;
  std::map<std::string, Entry> objects;  // "state.db", "deploy.db", "out"

  std::string to_json() const;
  static Result<StateManifest> parse(const std::string& json, const std::string& where);
};

// What a run stores back.
enum class StoreScope {
  kEverything,       // the run ended as it should (exit status 0 or 1): every store and the output
  kDeployStateOnly,  // it failed (2, 3): only the record of objects that did land in the sync target
};

struct RestoreOutcome {
  bool fetched = false;     // false: the local copy was as new, or the bucket held no state yet
  int64_t generation = 0;   // the bucket's
  int64_t bytes = 0;        // downloaded
};

struct StoreOutcome {
  int64_t generation = 0;
  int uploaded = 0;  // objects sent besides the manifest
  int64_t bytes = 0;
};

class RemoteState {
 public:
  RemoteState(StateBucket& bucket, SitePaths paths, const Clock& clock)
      : bucket_(bucket), paths_(std::move(paths)), clock_(clock) {}

  // Fetches the state when the bucket's generation is newer than the local
  // copy's, and puts it in place: the stores into .isrgen/, the output into
  // the output folder (replacing it). Run under the site's lock and the lease.
  Result<RestoreOutcome> restore();

  // Snapshots what `scope` names and stores it as the next generation. The
  // lease is renewed just before the manifest is written: a run whose lease
  // was taken over meanwhile stores no manifest, and the other's state stands.
  Result<StoreOutcome> store(StoreScope scope, StateLease& lease);

 private:
  Result<std::optional<StateManifest>> read_manifest();
  int64_t local_generation() const;
  Status remember_generation(int64_t generation) const;

  StateBucket& bucket_;
  SitePaths paths_;
  const Clock& clock_;
};

}  // namespace isrgen::publish
