#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/console.h"
#include "data/remote_records.h"
#include "data/source_refresh.h"
#include "publish/page_metadata.h"
#include "site/dependency_tag.h"
#include "site/page_urls.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/human_units.h"

namespace isrgen {
namespace {

using nlohmann::ordered_json;

// Prints `error` for the user; the exit status it gives.
int report_error(Console& console, const Error& error) {
  console.error(error.to_string());
  return exit_code_for(error);
}

// The state index of the site.
Result<std::unique_ptr<DepIndex>> open_index(const CommonFlags& common) {
  SitePaths paths = make_site_paths(common.site, common.out);
  if (!fs::exists(paths.state_db()))
    return make_error(relative_display(paths.state_db(), paths.root), 0, "no state yet: run `isrgen build` first");
  return DepIndex::open(paths.state_db());
}

// The cache profile the page's metadata records; none when the metadata is
// gone or was written before pages recorded one.
std::optional<CacheProfile> recorded_cache(const CommonFlags& common, const PageRecord& record) {
  SitePaths paths = make_site_paths(common.site, common.out);
  auto metadata = publish::read_page_metadata(paths.out / metadata_path_for(record.output));
  return metadata.ok() ? metadata.value().cache : std::nullopt;
}

std::string spelled_seconds(int64_t seconds) {
  return seconds == kNoBound ? "never" : format_duration_ms(seconds * 1000);
}

ordered_json page_json(const PageRecord& record, const std::optional<CacheProfile>& cache) {
  ordered_json inputs = ordered_json::array();
  for (const InputFile& input : record.inputs) inputs.push_back({{"path", input.path}, {"hash", input.hash}});
  return {{"page", record.key.page},           {"lang", record.key.lang},
          {"output", record.output},           {"url", record.url},
          {"priority", record.priority},       {"generated_at", format_iso8601_utc(record.generated_at_ms)},
          {"cache", cache ? cache->to_json() : ordered_json(nullptr)},
          {"last_reasons", record.reasons},    {"tags", record.tags},
          {"inputs", std::move(inputs)}};
}

void print_page(const PageRecord& record, const std::optional<CacheProfile>& cache) {
  std::printf("%s (%s)\n  output        %s\n  url           %s\n  priority      %s\n  generated at  %s\n",
              record.key.page.c_str(), record.key.lang.c_str(), record.output.c_str(), record.url.c_str(),
              record.priority.c_str(), format_iso8601_utc(record.generated_at_ms).c_str());
  if (cache)
    std::printf("  cache         %s: stale %s, revalidate %s, expire %s\n", cache->name.c_str(),
                spelled_seconds(cache->stale_seconds).c_str(), spelled_seconds(cache->revalidate_seconds).c_str(),
                spelled_seconds(cache->expire_seconds).c_str());
  else
    std::printf("  cache         not recorded (build the page again: isrgen build --force)\n");
  std::printf("  last rendered because:\n");
  for (const std::string& reason : record.reasons) std::printf("    %s\n", reason.c_str());
  std::printf("  tags (%zu): re-rendered when any of them is invalidated\n", record.tags.size());
  for (const std::string& tag : record.tags) std::printf("    %s\n", tag.c_str());
  std::printf("  inputs (%zu):\n", record.inputs.size());
  for (const InputFile& input : record.inputs) std::printf("    %s  %s\n", input.hash.c_str(), input.path.c_str());
}

int show_page(const CommonFlags& common, DepIndex& index, const PageKey& key) {
  auto record = index.load_page(key);
  if (!record.ok()) {
    Console(common.quiet, common.json).error(record.error().message);
    return kExitFailed;
  }
  std::optional<CacheProfile> cache = recorded_cache(common, record.value());
  if (common.json) std::cout << page_json(record.value(), cache).dump(2) << std::endl;
  else print_page(record.value(), cache);
  return kExitOk;
}

// A page [build] prerender = "high" has not rendered yet: what there is to
// know is where it will publish and how to get it rendered.
void show_deferred(const CommonFlags& common, const DeferredPage& page) {
  const std::string path = "/" + page.tenant + page.url;
  if (common.json) {
    std::cout << ordered_json{{"page", page.key.page}, {"lang", page.key.lang}, {"output", page.output},
                              {"url", page.url},       {"deferred", true}}
                     .dump(2)
              << std::endl;
    return;
  }
  std::printf("%s (%s)\n  output        %s\n  url           %s\n", page.key.page.c_str(), page.key.lang.c_str(),
              page.output.c_str(), page.url.c_str());
  std::printf("  deferred      not rendered yet: [build] prerender = \"high\" leaves it for its first request\n"
              "                (isrgen serve) or `isrgen revalidate --path %s`\n",
              path.c_str());
}

}  // namespace

int inspect_tag_command(const CommonFlags& common, const std::string& tag) {
  Console console(common.quiet, common.json);
  auto opened = open_index(common);
  if (!opened.ok()) return report_error(console, opened.error());
  const std::unique_ptr<DepIndex>& index = opened.value();
  auto pages = index->pages_with_tags({tag});
  if (!pages.ok()) return report_error(console, pages.error());
  if (common.json) {
    ordered_json list = ordered_json::array();
    for (const auto& [key, tags] : pages.value())
      list.push_back({{"page", key.page}, {"lang", key.lang}, {"tags", tags}});
    std::cout << ordered_json{{"tag", tag}, {"pages", std::move(list)}}.dump(2) << std::endl;
    return kExitOk;
  }
  for (const auto& [key, tags] : pages.value()) {
    std::string via = TagPattern(tag).is_prefix() ? "  (" + std::to_string(tags.size()) + " matching tags)" : "";
    std::printf("%s (%s)%s\n", key.page.c_str(), key.lang.c_str(), via.c_str());
  }
  std::printf("%zu page%s carry %s\n", pages.value().size(), pages.value().size() == 1 ? "" : "s", tag.c_str());
  return kExitOk;
}

int inspect_page_command(const CommonFlags& common, const std::string& page, const std::string& lang) {
  Console console(common.quiet, common.json);
  auto opened = open_index(common);
  if (!opened.ok()) return report_error(console, opened.error());
  const std::unique_ptr<DepIndex>& index = opened.value();
  auto found = index->languages_of(page);
  auto deferred = index->deferred_variants_of(page);
  if (!found.ok() || !deferred.ok()) return report_error(console, found.ok() ? deferred.error() : found.error());
  std::vector<std::string> languages = std::move(found.value());
  std::erase_if(deferred.value(),
                [&](const DeferredPage& variant) { return !lang.empty() && variant.key.lang != lang; });
  if (!lang.empty()) languages = {lang};
  if (!lang.empty() && !deferred.value().empty()) languages.clear();
  if (languages.empty() && deferred.value().empty()) {
    console.error("no page " + page + " has been built (pages are named <tenant>/<slug>, e.g. acme/index)");
    return kExitFailed;
  }
  for (const DeferredPage& variant : deferred.value()) show_deferred(common, variant);
  int status = kExitOk;
  for (const std::string& language : languages) status = std::max(status, show_page(common, *index, {page, language}));
  return status;
}

int why_command(const CommonFlags& common, const std::string& output) {
  Console console(common.quiet, common.json);
  auto opened = open_index(common);
  if (!opened.ok()) return report_error(console, opened.error());
  const std::unique_ptr<DepIndex>& index = opened.value();
  SitePaths paths = make_site_paths(common.site, common.out);
  // An output path (relative to the output folder, or absolute inside it).
  std::string relative = fs::path(output).is_absolute() ? relative_display(output, paths.out) : output;
  const std::string metadata = "index.metadata.json";
  if (relative.ends_with(metadata)) relative.replace(relative.size() - metadata.size(), metadata.size(), "index.html");
  else if (relative.ends_with("/")) relative += "index.html";
  else if (!relative.ends_with(".html")) relative += "/index.html";
  auto key = index->page_for_output(relative);
  if (!key.ok()) return report_error(console, key.error());
  if (!key.value()) {
    console.error("no page publishes to " + relative + " (give a path inside the output folder, e.g. acme/summer/index.html)");
    return kExitFailed;
  }
  return show_page(common, *index, *key.value());
}

int inspect_sources_command(const CommonFlags& common) {
  Console console(common.quiet, common.json);
  SitePaths paths = make_site_paths(common.site, common.out);
  auto config = load_site_config(paths);
  if (!config.ok()) return report_error(console, config.error());
  auto opened = open_index(common);
  if (!opened.ok()) return report_error(console, opened.error());
  const std::unique_ptr<DepIndex>& index = opened.value();
  auto snapshots = index->load_source_snapshots();
  if (!snapshots.ok()) return report_error(console, snapshots.error());
  const int64_t now_ms = clock_from_environment()->now_unix_ms();
  ordered_json list = ordered_json::array();
  for (const auto& [name, source] : config.value().sources) {
    if (!source.is_remote()) continue;
    auto found = snapshots.value().find(name);
    const SourceSnapshot* snapshot = found == snapshots.value().end() ? nullptr : &found->second;
    ordered_json item{{"source", name},
                      {"url", data::display_url(source.url)},
                      {"state", data::snapshot_state(snapshot, source, now_ms)},
                      {"revalidate_s", source.revalidate_seconds},
                      {"expire_s", source.expire_seconds}};
    if (snapshot && snapshot->has_records()) {
      auto records = nlohmann::json::parse(snapshot->records, nullptr, false);
      item["records"] = records.is_array() ? records.size() : 0;
      if (snapshot->fetched_at_ms > 0) {
        item["fetched_at"] = format_iso8601_utc(snapshot->fetched_at_ms);
        item["age_s"] = (now_ms - snapshot->fetched_at_ms) / 1000;
      }
      item["etag"] = snapshot->etag;
      item["last_modified"] = snapshot->last_modified;
    }
    if (snapshot && !snapshot->last_error.empty()) {
      item["last_error"] = snapshot->last_error;
      item["failed_at"] = format_iso8601_utc(snapshot->failed_at_ms);
    }
    list.push_back(std::move(item));
  }
  if (common.json) {
    std::cout << ordered_json{{"sources", list}}.dump(2) << std::endl;
    return kExitOk;
  }
  if (list.empty()) std::printf("no remote sources in %s\n", config.value().display_path.c_str());
  for (const ordered_json& item : list) {
    std::printf("%s  %s\n  state         %s\n", item["source"].get_ref<const std::string&>().c_str(),
                item["url"].get_ref<const std::string&>().c_str(), item["state"].get_ref<const std::string&>().c_str());
    if (item.contains("records")) std::printf("  records       %zu\n", item["records"].get<size_t>());
    if (item.contains("fetched_at"))
      std::printf("  fetched at    %s (%lld s ago)\n", item["fetched_at"].get_ref<const std::string&>().c_str(),
                  static_cast<long long>(item["age_s"].get<int64_t>()));
    if (item.contains("etag") && !item["etag"].get_ref<const std::string&>().empty())
      std::printf("  etag          %s\n", item["etag"].get_ref<const std::string&>().c_str());
    if (item.contains("last_error"))
      std::printf("  last error    %s (%s)\n", item["last_error"].get_ref<const std::string&>().c_str(),
                  item["failed_at"].get_ref<const std::string&>().c_str());
  }
  return kExitOk;
}

}  // namespace isrgen
