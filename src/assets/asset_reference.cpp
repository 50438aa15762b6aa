#include "assets/asset_reference.h"

#include <algorithm>
#include <vector>

#include "util/hex.h"

namespace isrgen::assets {
namespace {

// The path of a URL with its escapes decoded; nullopt for a bad escape, %00,
// or an encoded separator, which names no file plainly.
std::optional<std::string> decoded_path(std::string_view text) {
  for (size_t at = text.find('%'); at != std::string_view::npos; at = text.find('%', at + 1))
    if (text.size() - at >= 3 && text[at + 1] == '2' && (text[at + 2] == 'f' || text[at + 2] == 'F')) return std::nullopt;
  return percent_decode(text);
}

// "/a/b/../c" -> "a/c"; nullopt when it climbs above the root or names a folder.
std::optional<std::string> normalize(std::string_view absolute_path) {
  std::vector<std::string_view> parts;
  size_t at = 0;
  while (at <= absolute_path.size()) {
    size_t slash = absolute_path.find('/', at);
    if (slash == std::string_view::npos) slash = absolute_path.size();
    std::string_view part = absolute_path.substr(at, slash - at);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = slash + 1;
  }
  if (parts.empty() || absolute_path.ends_with("/")) return std::nullopt;
  std::string path;
  for (std::string_view part : parts) {
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

}  // namespace

std::optional<AssetReference> resolve_asset_reference(std::string_view url, std::string_view page_url,
                                                      std::string_view base_url) {
  // Browsers strip leading and trailing spaces of a URL attribute.
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t' || url.front() == '\n')) url.remove_prefix(1);
  while (!url.empty() && (url.back() == ' ' || url.back() == '\t' || url.back() == '\n')) url.remove_suffix(1);
  if (url.empty() || url.find_first_of("?#\\") != std::string_view::npos) return std::nullopt;
  AssetReference reference;
  std::string absolute_path;
  if (url.starts_with("//")) return std::nullopt;  // another host, or this one without its scheme: left alone
  if (url.starts_with("/")) {
    absolute_path = std::string(url);
  } else if (size_t colon = url.find(':'); colon != std::string_view::npos &&
                                            url.find('/') > colon) {  // a scheme
    while (base_url.ends_with("/")) base_url.remove_suffix(1);
    if (base_url.empty() || !starts_with_ignoring_case(url, base_url)) return std::nullopt;
    std::string_view rest = url.substr(base_url.size());
    if (!rest.starts_with("/")) return std::nullopt;
    absolute_path = std::string(rest);
    reference.absolute = true;
  } else {
    std::string_view folder = page_url.substr(0, page_url.rfind('/') + 1);
    absolute_path = std::string(folder.empty() ? "/" : folder) + std::string(url);
  }
  auto decoded = decoded_path(absolute_path);
  if (!decoded) return std::nullopt;
  auto path = normalize(*decoded);
  if (!path) return std::nullopt;
  reference.path = std::move(*path);
  return reference;
}

std::optional<RemoteReference> resolve_remote_reference(std::string_view url, const std::vector<std::string>& hosts) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t' || url.front() == '\n')) url.remove_prefix(1);
  while (!url.empty() && (url.back() == ' ' || url.back() == '\t' || url.back() == '\n')) url.remove_suffix(1);
  if (hosts.empty() || url.size() > 2048) return std::nullopt;
  std::string_view rest;
  if (starts_with_ignoring_case(url, "https://")) rest = url.substr(8);
  else if (starts_with_ignoring_case(url, "http://")) rest = url.substr(7);
  else return std::nullopt;
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos || authority.empty()) return std::nullopt;  // no credentials
  std::string host(authority.substr(0, authority.find(':')));
  for (char& c : host)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) return std::nullopt;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\') return std::nullopt;
  std::string_view path = rest.substr(authority_end);
  path = path.substr(0, std::min(path.find_first_of("?#"), path.size()));
  std::string_view last = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  last = last.substr(0, std::min(last.rfind('.'), last.size()));
  std::string name;
  for (char c : last)
    if (name.size() < 64)
      name.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                         ? c
                         : '-');
  if (name.empty()) name = "image";
  return RemoteReference{std::string(url), name};
}

std::string asset_url(std::string_view path, bool absolute, std::string_view base_url) {
  std::string url;
  if (absolute) {
    url = std::string(base_url);
    while (url.ends_with("/")) url.pop_back();
  }
  url += '/';
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                 c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      url.push_back(static_cast<char>(c));
    } else {
      url.push_back('%');
      url.push_back(kHex[c >> 4]);
      url.push_back(kHex[c & 15]);
    }
  }
  return url;
}

std::string extension_of(std::string_view path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string extension(path.substr(dot + 1));
  for (char& c : extension)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return extension;
}

}  // namespace isrgen::assets
