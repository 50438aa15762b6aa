#include "publish/output_archive.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

#include "util/folder_walk.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

constexpr std::string_view kHeader = "isrgen-output 1\n";
constexpr size_t kLongestPath = 4096;

// Whether `path` ('/'-separated) names a file beneath the folder it is unpacked into.
bool stays_beneath(std::string_view path) {
  if (path.empty() || path.size() > kLongestPath || path.front() == '/') return false;
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

Error broken(const std::string& what) {
  return make_error("", 0, "the output in the remote state is damaged (" + what +
                               "): remove the state's objects to start over (the next run renders every page)");
}

// Writes a file that must not exist yet. No temporary file and rename: the
// whole destination folder is renamed into place once complete, so nobody
// sees it half-written.
Status write_new_file(const std::filesystem::path& file, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return make_environment_error(file.parent_path().string(), "cannot create the folder: " + ec.message());
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && errno == EEXIST) return broken("'" + file.filename().string() + "' comes twice");
  if (fd < 0) return make_environment_error(file.string(), std::string("cannot write: ") + std::strerror(errno));
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return make_environment_error(file.string(), "cannot write: " + why);
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return make_environment_error(file.string(), std::string("cannot write: ") + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<std::string> pack_output(const std::filesystem::path& out) {
  std::string archive(kHeader);
  std::vector<std::string> files;
  WalkOptions options;
  options.skip = [](const std::string& folder) { return folder == ".isrgen-tmp"; };
  Status walked = walk_folders(
      disk_folder_lister(), out,
      [&](const std::string& folder, const std::vector<FolderEntry>& entries) {
        for (const FolderEntry& entry : entries)
          if (entry.type == FolderEntry::Type::kFile) files.push_back(folder.empty() ? entry.name : folder + "/" + entry.name);
        return true;
      },
      options);
  if (!walked.ok()) return walked.error();
  for (const std::string& file : files) {
    // The signature first: a file rewritten while it is read then shows a
    // signature that its bytes do not have, which only costs a render.
    std::string signature = file_signature(out / file);
    auto bytes = read_file(out / file);
    if (!bytes.ok()) return bytes.error();
    if (file.find('\n') != std::string::npos) continue;  // no page or static file is named so; nothing to keep
    archive += std::to_string(bytes.value().size()) + " " + signature + " " + file + "\n";
    archive += bytes.value();
  }
  return archive;
}

Result<SignatureMap> unpack_output(std::string_view archive, const std::filesystem::path& destination) {
  if (!archive.starts_with(kHeader)) return broken("no header");
  SignatureMap here;
  std::error_code ec;
  std::filesystem::create_directories(destination, ec);
  if (ec) return make_environment_error(destination.string(), "cannot create the folder: " + ec.message());
  size_t at = kHeader.size();
  while (at < archive.size()) {
    size_t end = archive.find('\n', at);
    if (end == std::string_view::npos || end - at > kLongestPath + 128) return broken("an entry without its line");
    std::string_view line = archive.substr(at, end - at);
    size_t first = line.find(' ');
    size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos) return broken("an entry line without size, signature and path");
    size_t size = 0;
    auto [size_end, bad] = std::from_chars(line.data(), line.data() + first, size);
    if (bad != std::errc() || size_end != line.data() + first) return broken("an entry of no size");
    const std::string signature(line.substr(first + 1, second - first - 1));
    std::string_view path = line.substr(second + 1);
    if (!stays_beneath(path)) return broken("the path '" + std::string(path.substr(0, 200)) + "'");
    at = end + 1;
    if (size > archive.size() - at) return broken("'" + std::string(path) + "' is cut short");
    const std::filesystem::path file = destination / std::string(path);
    if (Status written = write_new_file(file, archive.substr(at, size)); !written.ok()) return written.error();
    at += size;
    if (!signature.empty()) here[signature] = file_signature(file);
  }
  return here;
}

}  // namespace isrgen::publish
