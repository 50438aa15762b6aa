// The floor of scripts/bench: the least any generator must do to produce the
// output isrgen built, timed on the same file system.
//
// Usage: floor SOURCE DEST THREADS
// Reads every regular file under SOURCE (isrgen's finished output folder) into
// memory, untimed. Then, timed, writes the same files with the same bytes
// under DEST, which must not exist, on THREADS threads: one mkdir per folder,
// and open, write and close per file, without fsync. Folders are made depth by
// depth (a folder's parent is always made first); within a depth the threads
// share the folders, each making a folder and then writing its files, as a
// generator writing pages does. Prints "<seconds> <files> <bytes>": the time
// of the writing alone, and what it wrote. Exits 1 with a message on an error.
//
// Built by scripts/bench with the system's g++ -O2 -pthread; it uses nothing
// of isrgen, so that it times the file system, not a generator.

#include <fcntl.h>
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

// Makes folders[begin, end) under dest and writes their files, on threads
// that each take the next folder not yet taken.
void write_level(const fs::path& dest, const std::vector<Folder>& folders, std::size_t begin,
                 std::size_t end, unsigned threads) {
  std::atomic<std::size_t> next{begin};
  auto work = [&] {
    for (std::size_t i = next++; i < end; i = next++) {
      const Folder& folder = folders[i];
      std::string base = folder.path.empty() ? dest.string() : (dest / folder.path).string();
      if (::mkdir(base.c_str(), 0755) != 0) fail("cannot make " + base + ": " + std::strerror(errno));
      for (const File& file : folder.files) write_file(base + "/" + file.name, file.bytes);
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) fail("usage: floor SOURCE DEST THREADS");
  fs::path source = argv[1], dest = argv[2];
  unsigned threads = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));
  if (threads == 0) fail(std::string("THREADS must be at least 1, not '") + argv[3] + "'");
  if (!fs::is_directory(source)) fail(source.string() + " is not a folder (the output of an isrgen build)");
  if (fs::exists(dest)) fail(dest.string() + " exists: the floor writes into a fresh folder (remove it)");

  std::vector<Folder> folders = read_tree(source);
  std::size_t files = 0, bytes = 0;
  for (const Folder& folder : folders) {
    files += folder.files.size();
    for (const File& file : folder.files) bytes += file.bytes.size();
  }

  auto start = std::chrono::steady_clock::now();
  for (std::size_t begin = 0; begin < folders.size();) {
    std::size_t end = begin;
    while (end < folders.size() && depth(folders[end].path) == depth(folders[begin].path)) ++end;
    write_level(dest, folders, begin, end, threads);
    begin = end;
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("%.6f %zu %zu\n", took.count(), files, bytes);
  return 0;
}
