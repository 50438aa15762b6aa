// The floor of scripts/bench: the least any generator must do to produce the
// output isrgen built, timed on the same file system.
//
// Usage: floor SOURCE DEST THREADS [METHOD]
// Reads every regular file under SOURCE (isrgen's finished output folder) into
// memory, untimed. Then, timed, writes the same files with the same bytes
// under DEST, which must not exist, on THREADS threads: one mkdir per folder,
// and open, write and close per file, without fsync. Folders are made depth by
// depth (a folder's parent is always made first); within a depth the threads
// share the folders, each making a folder and then writing its files, as a
// generator writing pages does. Prints "<seconds> <files> <bytes> <cpu>": the
// time of the writing alone, what it wrote, and the CPU time (user + system,
// every thread) the writing took. Exits 1 with a message on an error.
//
// With a METHOD other than "create" (the above), DEST is an existing copy of
// SOURCE, and every file in it is replaced, timed, by one edited a little (a
// line appended, as a template edit does to every page) in the way METHOD
// names, to compare the ways a generator can replace its output:
//   rename-shared      write a temporary file in one folder (DEST/.tmp) shared
//                      by all threads, rename it over the file
//   rename-beside      write a temporary file beside the file, rename it over
//   in-place           open the file with O_TRUNC and write (not atomic: a
//                      reader can see it half-written; the reference)
//   exchange-recycled  what isrgen does: rewrite a spare file in DEST/.tmp
//                      (one per thread; its blocks reused, the tail cut) after
//                      checking with a write lease that nobody has it open,
//                      then exchange it with the file (renameat2
//                      RENAME_EXCHANGE); the old file becomes the spare
// The spares and temporary files are removed after the timing.
//
// Built by scripts/bench with the system's g++ -O2 -pthread; it uses nothing
// of isrgen, so that it times the file system, not a generator.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct File {
  std::string name;   // within its folder
  std::string bytes;
};

// A folder of the output, relative to its root ("" for the root itself), and
// the files directly in it.
struct Folder {
  std::string path;
  std::vector<File> files;
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "floor: %s\n", what.c_str());
  std::exit(1);
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path.string() + ": " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t depth(const std::string& relative) {
  return relative.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(relative.begin(), relative.end(), '/'));
}

// Every folder under source holding files or folders, with its files read,
// ordered by depth so that each comes after its parent.
std::vector<Folder> read_tree(const fs::path& source) {
  std::map<std::string, Folder> folders;
  folders[""].path = "";
  for (const auto& entry : fs::recursive_directory_iterator(source)) {
    std::string relative = fs::relative(entry.path(), source).generic_string();
    if (entry.is_directory()) {
      folders[relative].path = relative;
    } else if (entry.is_regular_file()) {
      std::string parent = fs::path(relative).parent_path().generic_string();
      folders[parent].path = parent;
      folders[parent].files.push_back({entry.path().filename().string(), read_whole(entry.path())});
    }
  }
  std::vector<Folder> ordered;
  ordered.reserve(folders.size());
  for (auto& [path, folder] : folders) ordered.push_back(std::move(folder));
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Folder& a, const Folder& b) { return depth(a.path) < depth(b.path); });
  return ordered;
}

void write_file(const std::string& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) fail("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(wrote);
  }
  if (::close(fd) != 0) fail("cannot close " + path + ": " + std::strerror(errno));
}

void write_into(int fd, const std::string& path, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) fail("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(wrote);
  }
}

// Replaces the file at `path` with `bytes` by `method`; `thread` numbers the
// calling thread, `counter` makes temporary names unique.
void replace_file(const std::string& method, const fs::path& dest, unsigned thread, const std::string& path,
                  const std::string& bytes, std::atomic<unsigned long>& counter) {
  if (method == "in-place") {
    write_file(path, bytes);
    return;
  }
  if (method == "rename-shared" || method == "rename-beside") {
    std::string temp = method == "rename-shared"
                           ? (dest / ".tmp" / ("t" + std::to_string(counter++))).string()
                           : path + ".tmp" + std::to_string(counter++);
    write_file(temp, bytes);
    if (::rename(temp.c_str(), path.c_str()) != 0) fail("cannot rename over " + path + ": " + std::strerror(errno));
    return;
  }
  if (method != "exchange-recycled") fail("unknown METHOD '" + method + "'");
  const std::string spare = (dest / ".tmp" / ("spare" + std::to_string(thread))).string();
  int fd = ::open(spare.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open " + spare + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || ::fcntl(fd, F_SETLEASE, F_WRLCK) != 0)
    fail("cannot lease " + spare + ": " + std::strerror(errno));
  write_into(fd, spare, bytes);
  if (static_cast<std::size_t>(st.st_size) > bytes.size() && ::ftruncate(fd, static_cast<off_t>(bytes.size())) != 0)
    fail("cannot truncate " + spare + ": " + std::strerror(errno));
  if (::fstat(fd, &st) != 0 || ::close(fd) != 0) fail("cannot close " + spare + ": " + std::strerror(errno));
  if (::renameat2(AT_FDCWD, spare.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0)
    fail("cannot exchange " + path + ": " + std::strerror(errno));
}

// Makes folders[begin, end) under dest and writes their files (METHOD
// "create"), or replaces the files there, on threads that each take the next
// folder not yet taken.
void write_level(const fs::path& dest, const std::vector<Folder>& folders, std::size_t begin,
                 std::size_t end, unsigned threads, const std::string& method) {
  std::atomic<std::size_t> next{begin};
  std::atomic<unsigned long> counter{0};
  auto work = [&](unsigned thread) {
    for (std::size_t i = next++; i < end; i = next++) {
      const Folder& folder = folders[i];
      std::string base = folder.path.empty() ? dest.string() : (dest / folder.path).string();
      if (method == "create") {
        if (::mkdir(base.c_str(), 0755) != 0) fail("cannot make " + base + ": " + std::strerror(errno));
        for (const File& file : folder.files) write_file(base + "/" + file.name, file.bytes);
      } else {
        for (const File& file : folder.files)
          replace_file(method, dest, thread, base + "/" + file.name, file.bytes, counter);
      }
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) fail("usage: floor SOURCE DEST THREADS [METHOD]");
  fs::path source = argv[1], dest = argv[2];
  unsigned threads = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));
  const std::string method = argc == 5 ? argv[4] : "create";
  if (threads == 0) fail(std::string("THREADS must be at least 1, not '") + argv[3] + "'");
  if (!fs::is_directory(source)) fail(source.string() + " is not a folder (the output of an isrgen build)");
  if (method == "create" && fs::exists(dest))
    fail(dest.string() + " exists: the floor writes into a fresh folder (remove it)");
  if (method != "create" && !fs::is_directory(dest))
    fail(dest.string() + " is not a folder: METHOD " + method + " replaces the files of a copy of SOURCE");

  std::vector<Folder> folders = read_tree(source);
  std::size_t files = 0, bytes = 0;
  for (Folder& folder : folders) {
    files += folder.files.size();
    for (File& file : folder.files) {
      if (method != "create") file.bytes += "\n";  // the edit every file gets
      bytes += file.bytes.size();
    }
  }
  if (method != "create") fs::create_directories(dest / ".tmp");

  struct rusage before {};
  ::getrusage(RUSAGE_SELF, &before);
  auto start = std::chrono::steady_clock::now();
  for (std::size_t begin = 0; begin < folders.size();) {
    std::size_t end = begin;
    while (end < folders.size() && depth(folders[end].path) == depth(folders[begin].path)) ++end;
    write_level(dest, folders, begin, end, threads, method);
    begin = end;
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  struct rusage after {};
  ::getrusage(RUSAGE_SELF, &after);
  auto seconds_of = [](const struct timeval& time) { return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6; };
  const double cpu = seconds_of(after.ru_utime) - seconds_of(before.ru_utime) + seconds_of(after.ru_stime) -
                     seconds_of(before.ru_stime);
  if (method != "create") fs::remove_all(dest / ".tmp");
  std::printf("%.6f %zu %zu %.3f\n", took.count(), files, bytes, cpu);
  return 0;
}
