#include "data/source_refresh.h"

#include <algorithm>
#include <limits>

#include "data/record_diff.h"
#include "data/remote_records.h"
#include "site/dependency_tag.h"
#include "util/clock.h"
#include "util/confined_file.h"
#include "util/hash.h"

namespace isrgen::data {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// When a snapshot gets `seconds` old; kNever for -1.
int64_t aged_at_ms(const SourceSnapshot& snapshot, int64_t seconds) {
  return seconds < 0 ? kNever : snapshot.fetched_at_ms + seconds * 1000;
}

// A snapshot past `expire` must not be served any more; one past `expire`
// is therefore refetched even when `revalidate` is not set.
int64_t expires_at_ms(const SourceSnapshot& snapshot, const SourceConfig& config) {
  return snapshot.from_fallback ? kNever : aged_at_ms(snapshot, config.expire_seconds);
}

bool is_expired(const SourceSnapshot& snapshot, const SourceConfig& config, int64_t now_ms) {
  return now_ms >= expires_at_ms(snapshot, config);
}

int64_t records_stale_at_ms(const SourceSnapshot& snapshot, const SourceConfig& config) {
  return std::min(aged_at_ms(snapshot, config.revalidate_seconds), expires_at_ms(snapshot, config));
}

bool is_stale(const SourceSnapshot& snapshot, const SourceConfig& config, int64_t now_ms) {
  return now_ms >= records_stale_at_ms(snapshot, config);
}

bool needs_fetch(const SourceSnapshot* stored, const SourceConfig& config, const RefreshRequest& request,
                 int64_t now_ms) {
  if (request.offline) return false;  // also when there is no fetcher
  if (request.refetch_all || request.named.contains(config.name)) return true;
  if (!stored || !stored->has_records() || stored->from_fallback || stored->origin_key != config.origin_key())
    return true;
  return request.refresh_stale && is_stale(*stored, config, now_ms);
}

// A conditional request only makes sense for records this origin sent.
bool can_validate(const SourceSnapshot* stored, const SourceConfig& config) {
  return stored && stored->has_records() && !stored->from_fallback && stored->origin_key == config.origin_key();
}

Result<HttpRequest> make_request(const SourceConfig& config, const SourceSnapshot* stored, const EnvLookup& env) {
  HttpRequest request;
  request.url = config.url;
  for (const auto& [name, value] : config.headers.items()) {
    auto expanded = expand_env(value.get<std::string>(), env);
    if (!expanded.ok()) return make_error("", 0, "header " + name + ": " + expanded.error().message);
    request.headers.emplace_back(name, std::move(expanded.value()));
  }
  if (can_validate(stored, config)) {
    request.if_none_match = stored->etag;
    request.if_modified_since = stored->last_modified;
  }
  request.connect_timeout_ms = config.fetch.connect_timeout_ms;
  request.timeout_ms = config.fetch.timeout_ms;
  request.retries = config.fetch.retries;
  request.retry_delay_ms = config.fetch.retry_delay_ms;
  request.max_bytes = config.fetch.max_bytes;
  return request;
}

std::string describe_failure(const HttpResponse& response) {
  std::string attempts = response.attempts > 1 ? " after " + std::to_string(response.attempts) + " attempts" : "";
  if (!response.error.empty()) return response.error + attempts;
  if (response.status == 304) return "answered 304 Not Modified to a request that was not conditional";
  return "HTTP " + std::to_string(response.status) + attempts;
}

// Works out one source's outcome and adds it to the refresh.
class SourceOutcome {
 public:
  SourceOutcome(const SourceConfig& config, const std::filesystem::path& content_dir, const InputLimits& limits,
                const SourceSnapshot* stored, int64_t now_ms, RemoteRefresh& refresh)
      : config_(config), content_dir_(content_dir), limits_(limits), stored_(stored), now_ms_(now_ms),
        refresh_(refresh) {
    served_.display = display_url(config.url);
  }

  // Fresh enough (or offline): served as stored, nothing fetched.
  void keep() {
    if (!stored_ || !stored_->has_records()) {
      show_nothing("never fetched (offline)");
    } else if (stored_->withheld) {
      show_nothing(stored_->last_error.empty() ? "the snapshot is past expire" : stored_->last_error);
    } else {
      serve_text(stored_->from_fallback ? Serving::kFallback : Serving::kFresh, stored_->records);
    }
    finish();
  }

  void fetched(const HttpResponse& response, bool conditional) {
    FetchOutcome outcome{config_.name, FetchResult::kFailed, response.status, response.attempts, response.elapsed_ms};
    if (response.status == 200 && response.error.empty()) {
      auto records = records_from_response(config_.name, served_.display, response.body, config_.items_path,
                                           limits_.json_depth);
      if (records.ok()) outcome.outcome = accept(std::move(records.value()), response);
      else fail("invalid response: " + records.error().to_string());
    } else if (response.status == 304 && response.error.empty() && conditional) {
      confirm();
      outcome.outcome = FetchResult::kNotModified;
    } else {
      fail(describe_failure(response));
    }
    refresh_.fetched.push_back(std::move(outcome));
    finish();
  }

  // No request could be made (a header's variable is not set).
  void not_sent(const std::string& why) {
    fail(why);
    finish();
  }

 private:
  void invalidate_broadly() {
    for (std::string& tag : whole_source_tags(config_.name)) refresh_.invalidated.insert(std::move(tag));
  }

  void invalidate_change(const std::string& old_records, const Source& now) {
    if (old_records.empty()) {
      for (std::string& tag : invalidated_tags(nullptr, now)) refresh_.invalidated.insert(std::move(tag));
      return;
    }
    auto before = records_from_snapshot(config_.name, served_.display, old_records, limits_.json_depth);
    if (!before.ok()) return invalidate_broadly();
    for (std::string& tag : invalidated_tags(&before.value(), now)) refresh_.invalidated.insert(std::move(tag));
  }

  SourceSnapshot base_row() const {
    if (stored_) return *stored_;
    SourceSnapshot row;
    row.source = config_.name;
    row.origin_key = config_.origin_key();
    return row;
  }

  FetchResult accept(Source records, const HttpResponse& response) {
    SourceSnapshot row;
    row.source = config_.name;
    row.origin_key = config_.origin_key();
    row.records = canonical_records(records);
    row.content_hash = content_hash(row.records);
    row.fetched_at_ms = now_ms_;
    row.etag = response.etag;
    row.last_modified = response.last_modified;
    bool had_records = stored_ && stored_->has_records();
    bool changed = !had_records || stored_->content_hash != row.content_hash;
    if (stored_ && stored_->withheld) invalidate_broadly();  // its pages show the empty state
    else if (changed) invalidate_change(had_records ? stored_->records : "", records);
    served_.serving = Serving::kFresh;
    served_.parsed = std::move(records);
    refresh_.store.push_back(std::move(row));
    return changed ? FetchResult::kUpdated : FetchResult::kUnchanged;
  }

  void confirm() {
    SourceSnapshot row = *stored_;
    row.fetched_at_ms = now_ms_;
    row.failed_at_ms = 0;
    row.last_error.clear();
    if (row.withheld) invalidate_broadly();
    row.withheld = false;
    serve_text(Serving::kFresh, row.records);
    refresh_.store.push_back(std::move(row));
  }

  void fail(const std::string& why) {
    SourceSnapshot row = base_row();
    row.failed_at_ms = now_ms_;
    row.last_error = why;
    bool own_records = row.has_records() && !row.from_fallback;
    if (own_records && !is_expired(row, config_, now_ms_)) {
      if (row.withheld) invalidate_broadly();
      row.withheld = false;
      serve_text(Serving::kStale, row.records);
      degrade(why, Serving::kStale, now_ms_ - row.fetched_at_ms);
    } else if (own_records) {
      if (!row.withheld) invalidate_broadly();
      row.withheld = true;
      serve_nothing(why + "; the snapshot fetched " + format_iso8601_utc(row.fetched_at_ms) + " is past expire (" +
                    std::to_string(config_.expire_seconds) + " s)");
      degrade(why, Serving::kNothing, now_ms_ - row.fetched_at_ms);
    } else {
      use_fallback(row, why);
    }
    refresh_.store.push_back(std::move(row));
  }

  // Never fetched successfully: the bundled fallback file if there is one
  // (read again each time, as it may have been edited), else the records of
  // an earlier fallback, else nothing.
  void use_fallback(SourceSnapshot& row, const std::string& why) {
    std::string fallback_problem;
    if (!config_.fallback.empty()) {
      std::string display = "content/" + config_.fallback;
      auto text = read_file_beneath(content_dir_.parent_path(), display, static_cast<size_t>(limits_.data_bytes),
                                    InputLimits::setting("data_bytes"));
      auto parsed = text.ok() ? parse_source(config_.name, display, text.value(), limits_.json_depth)
                              : Result<Source>(text.error());
      if (parsed.ok()) {
        std::string records = canonical_records(parsed.value());
        std::string hash = content_hash(records);
        if (row.withheld) invalidate_broadly();
        else if (!row.has_records() || row.content_hash != hash) invalidate_change(row.records, parsed.value());
        row.records = std::move(records);
        row.content_hash = std::move(hash);
        row.from_fallback = true;
        row.withheld = false;
        row.fetched_at_ms = 0;
        row.etag.clear();
        row.last_modified.clear();
        parsed.value().display_path = served_.display;
        served_.serving = Serving::kFallback;
        served_.parsed = std::move(parsed.value());
        degrade(why, Serving::kFallback);
        return;
      }
      fallback_problem = "; fallback: " + parsed.error().to_string();
    }
    if (row.has_records()) {
      serve_text(Serving::kFallback, row.records);
      degrade(why + fallback_problem, Serving::kFallback);
      return;
    }
    show_nothing(why + fallback_problem);
  }

  void serve_text(Serving serving, const std::string& records) {
    served_.serving = serving;
    served_.records = records;
  }

  void serve_nothing(const std::string& why) {
    served_.serving = Serving::kNothing;
    served_.unavailable = why;
  }

  // Nothing to serve, and the source is degraded for that reason.
  void show_nothing(const std::string& why) {
    serve_nothing(why);
    degrade(why, Serving::kNothing);
  }

  void degrade(const std::string& why, Serving serving, int64_t age_ms = -1) {
    refresh_.degraded.push_back({config_.name, why, serving, age_ms});
  }

  void finish() { refresh_.served.emplace(config_.name, std::move(served_)); }

  const SourceConfig& config_;
  const std::filesystem::path& content_dir_;
  const InputLimits& limits_;
  const SourceSnapshot* stored_;
  int64_t now_ms_;
  RemoteRefresh& refresh_;
  ServedSource served_;
};

}  // namespace

const char* serving_name(Serving serving) {
  switch (serving) {
    case Serving::kFresh: return "fresh";
    case Serving::kStale: return "stale snapshot";
    case Serving::kFallback: return "fallback";
    case Serving::kNothing: return "nothing";
  }
  return "nothing";
}

const char* fetch_result_name(FetchResult result) {
  switch (result) {
    case FetchResult::kUpdated: return "updated";
    case FetchResult::kUnchanged: return "unchanged";
    case FetchResult::kNotModified: return "not modified";
    case FetchResult::kFailed: return "failed";
  }
  return "failed";
}

RemoteRefresh refresh_remote_sources(const SiteConfig& config, const std::filesystem::path& content_dir,
                                     const std::map<std::string, SourceSnapshot>& stored,
                                     const RefreshRequest& request, HttpFetcher* fetcher, const Clock& clock,
                                     const EnvLookup& env) {
  RemoteRefresh refresh;
  const int64_t now_ms = clock.now_unix_ms();
  RefreshRequest effective = request;
  effective.offline = request.offline || !fetcher;
  for (const auto& [name, snapshot] : stored) {
    auto configured = config.sources.find(name);
    if (configured == config.sources.end() || !configured->second.is_remote()) refresh.forget.push_back(name);
  }

  struct Pending {
    const SourceConfig* config;
    const SourceSnapshot* stored;
    bool conditional;
  };
  std::vector<Pending> pending;
  std::vector<HttpRequest> requests;
  for (const auto& [name, source] : config.sources) {
    if (!source.is_remote()) continue;
    auto found = stored.find(name);
    const SourceSnapshot* snapshot = found == stored.end() ? nullptr : &found->second;
    if (!needs_fetch(snapshot, source, effective, now_ms)) {
      SourceOutcome(source, content_dir, config.limits, snapshot, now_ms, refresh).keep();
      continue;
    }
    auto made = make_request(source, snapshot, env);
    if (!made.ok()) {
      SourceOutcome(source, content_dir, config.limits, snapshot, now_ms, refresh).not_sent(made.error().message);
      continue;
    }
    bool conditional = !made.value().if_none_match.empty() || !made.value().if_modified_since.empty();
    pending.push_back({&source, snapshot, conditional});
    requests.push_back(std::move(made.value()));
  }
  if (requests.empty()) return refresh;

  std::vector<HttpResponse> responses = fetcher->fetch_all(requests);
  for (size_t i = 0; i < pending.size(); ++i) {
    HttpResponse response = i < responses.size() ? std::move(responses[i]) : HttpResponse{};
    if (i >= responses.size()) response.error = "no response";
    SourceOutcome(*pending[i].config, content_dir, config.limits, pending[i].stored, now_ms, refresh)
        .fetched(response, pending[i].conditional);
  }
  return refresh;
}

std::string snapshot_state(const SourceSnapshot* snapshot, const SourceConfig& config, int64_t now_ms) {
  if (!snapshot || !snapshot->has_records()) return "never fetched";
  if (snapshot->from_fallback) return "fallback";
  if (snapshot->withheld) return "withheld";
  if (is_expired(*snapshot, config, now_ms)) return "expired";
  return is_stale(*snapshot, config, now_ms) ? "stale" : "fresh";
}

int64_t stale_at_ms(const SourceSnapshot* snapshot, const SourceConfig& config) {
  if (!snapshot || !snapshot->has_records() || snapshot->origin_key != config.origin_key())
    return config.revalidate_seconds >= 0 || config.expire_seconds >= 0 ? 0 : kNever;
  return records_stale_at_ms(*snapshot, config);
}

std::set<std::string> remote_sources_named(const std::string& tag, const SiteConfig& config) {
  std::set<std::string> named;
  const TagPattern pattern(tag);
  for (const auto& [name, source] : config.sources) {
    if (!source.is_remote()) continue;
    if (pattern.matches(source_tag(name)) || pattern.reaches_into(source_data_prefix(name))) named.insert(name);
  }
  return named;
}

bool names_remote_data_only(const std::string& tag, const SiteConfig& config) {
  const TagPattern pattern(tag);
  if (!pattern.is_prefix()) return !remote_sources_named(tag, config).empty();
  for (const auto& [name, source] : config.sources)
    if (source.is_remote() && pattern.lies_within(source_data_prefix(name))) return true;
  return false;
}

}  // namespace isrgen::data
