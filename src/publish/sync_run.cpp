#include "publish/sync_run.h"

#include <chrono>
#include <optional>
#include <set>

#include "publish/sync_plan.h"

namespace isrgen::publish {
namespace {

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

// The purge one changed object owes the CDN, kept pending with its record
// when a purge provider is configured.
std::optional<PurgeRequest> purge_for(const SyncJob& job, const DeployedObject& object) {
  if (!job.purge) return std::nullopt;
  return purge_request_for({object});
}

// Uploads one group (assets, or pages) and records each confirmed object.
void upload_group(const SyncJob& job, const std::vector<const PlannedUpload*>& group, SyncReport& report,
                  std::vector<DeployedObject>& changed) {
  std::vector<ObjectUpload> uploads;
  for (const PlannedUpload* planned : group) uploads.push_back(planned->upload);
  job.client->upload(uploads, [&](size_t index, const Status& status) {
    const PlannedUpload& planned = *group[index];
    std::optional<PurgeRequest> purge = purge_for(job, planned.object);
    Status recorded = status.ok() ? job.state->record(job.target_id, planned.object, purge ? &*purge : nullptr) : status;
    if (!recorded.ok()) {
      report.failed.emplace_back(planned.object.key, recorded.error().to_string());
      return;
    }
    report.uploaded.push_back({planned.object.key, planned.object.size, planned.reason});
    report.bytes += planned.object.size;
    changed.push_back(planned.object);
  });
}

void delete_objects(const SyncJob& job, const std::vector<DeployedObject>& deletes, SyncReport& report,
                    std::vector<DeployedObject>& changed) {
  std::vector<std::string> keys;
  for (const DeployedObject& object : deletes) keys.push_back(object.key);
  job.client->remove(keys, [&](size_t index, const Status& status) {
    std::optional<PurgeRequest> purge = purge_for(job, deletes[index]);
    Status recorded = status.ok() ? job.state->forget(job.target_id, keys[index], purge ? &*purge : nullptr) : status;
    if (!recorded.ok()) {
      report.failed.emplace_back(keys[index], recorded.error().to_string());
      return;
    }
    report.deleted.push_back(keys[index]);
    changed.push_back(deletes[index]);
  });
}

// Records the retirement of the retained objects not retired before. Only a
// sync whose deletes go ahead does: one that holds them back leaves the old
// pages in place, so the next sync must still keep what they link.
void retire(const SyncJob& job, const std::map<std::string, DeployedObject>& held,
            const std::vector<DeployedObject>& retains, SyncReport& report) {
  std::vector<DeployedObject> newly_retired;
  for (const DeployedObject& object : retains)
    if (held.at(object.key).retired_at != object.retired_at) newly_retired.push_back(object);
  Status recorded = job.state->record_all(job.target_id, newly_retired);
  if (!recorded.ok()) report.failed.emplace_back("retire", recorded.error().to_string());
}

PurgeRequest merged(const PurgeRequest& a, const PurgeRequest& b) {
  std::set<std::string> paths(a.paths.begin(), a.paths.end()), tags(a.tags.begin(), a.tags.end());
  paths.insert(b.paths.begin(), b.paths.end());
  tags.insert(b.tags.begin(), b.tags.end());
  return {{paths.begin(), paths.end()}, {tags.begin(), tags.end()}};
}

// Sends what this sync changed together with what earlier syncs failed to
// purge (all of it pending in the deploy state), and clears it on success.
void purge_cdn(const SyncJob& job, const std::vector<DeployedObject>& changed, SyncReport& report) {
  if (!job.purge) {
    report.purge = purge_request_for(changed);
    return;
  }
  auto pending = job.state->pending_purge(job.target_id);
  if (!pending.ok()) {
    report.purge = purge_request_for(changed);
    report.failed.emplace_back("purge", pending.error().to_string());
    return;
  }
  // A dry run recorded nothing: what it would change comes on top.
  report.purge = job.options.dry_run ? merged(pending.value(), purge_request_for(changed)) : pending.value();
  if (report.purge.empty() || job.options.dry_run) return;
  std::vector<net::Request> calls = job.purge(report.purge);
  bool all_ok = true;
  run_http_calls(calls, job.http, [&](size_t, net::Response outcome) {
    std::optional<std::string> refusal =
        outcome.ok() ? purge_answer_refusal(job.config->purge.provider, outcome) : outcome.describe();
    if (!refusal) return;
    all_ok = false;
    report.failed.emplace_back("purge", *refusal + " (kept: the next sync sends it again)");
  });
  if (!all_ok) return;
  Status cleared = job.state->purged(job.target_id, report.purge);
  if (!cleared.ok()) report.failed.emplace_back("purge", cleared.error().to_string());
  report.purged = true;
}

// GETs the public URL of each page this sync uploaded.
void warm_pages(const SyncJob& job, const SyncPlan& plan, SyncReport& report) {
  std::set<std::string> uploaded;
  for (const SyncReport::Upload& upload : report.uploaded) uploaded.insert(upload.key);
  std::vector<std::string> page_keys;
  for (const PlannedUpload& planned : plan.uploads)
    if (planned.page && uploaded.contains(planned.object.key)) page_keys.push_back(planned.object.key);
  std::vector<std::string> urls = public_urls_of_pages(job.out, page_keys, report.warmed);
  std::vector<WarmedUrl> warmed = warm_urls(urls, job.config->warm, *job.warm_clock);
  report.warmed.insert(report.warmed.end(), warmed.begin(), warmed.end());
}

}  // namespace

nlohmann::ordered_json SyncReport::to_json() const {
  nlohmann::ordered_json json;
  json["command"] = "sync";
  json["target"] = target;
  json["dry_run"] = dry_run;
  json["uploaded"] = nlohmann::ordered_json::array();
  for (const Upload& upload : uploaded)
    json["uploaded"].push_back({{"key", upload.key}, {"bytes", upload.bytes}, {"reason", upload.reason}});
  json["deleted"] = deleted;
  json["retained"] = retained;
  json["failed"] = nlohmann::ordered_json::array();
  for (const auto& [key, error] : failed) json["failed"].push_back({{"key", key}, {"error", error}});
  if (pages_held_back > 0) json["pages_held_back"] = {{"count", pages_held_back}, {"reason", pages_held_back_reason()}};
  if (deletes_held_back > 0)
    json["deletes_held_back"] = {{"count", deletes_held_back}, {"reason", held_back_reason}};
  json["purge"] = {{"paths", purge.paths}, {"tags", purge.tags}, {"sent", purged}};
  if (!warmed.empty()) {
    json["warmed"] = nlohmann::ordered_json::array();
    for (const WarmedUrl& url : warmed) {
      nlohmann::ordered_json entry = {{"url", url.url}, {"outcome", url.outcome}, {"status", url.status}, {"ms", url.ms}};
      if (!url.error.empty()) entry["error"] = url.error;
      json["warmed"].push_back(std::move(entry));
    }
  }
  json["stats"] = {{"uploaded", uploaded.size()},
                   {"deleted", deleted.size()},
                   {"retained", retained.size()},
                   {"unchanged", unchanged},
                   {"adopted", adopted},
                   {"failed", failed.size()},
                   {"purged", purged ? purge.paths.size() + purge.tags.size() : 0},
                   {"bytes", bytes},
                   {"duration_ms", duration_ms}};
  return json;
}

int SyncReport::exit_code() const {
  return failed.empty() && deletes_held_back == 0 && pages_held_back == 0 ? 0 : 1;
}

std::string SyncReport::pages_held_back_reason() const {
  return std::to_string(pages_held_back) +
         " pages held back: an asset upload failed, and no page is sent before every asset is there (the next "
         "sync sends them)";
}

Result<SyncReport> run_sync(const SyncJob& job) {
  auto started = std::chrono::steady_clock::now();
  SyncReport report;
  report.target = job.client->describe();
  report.dry_run = job.options.dry_run;
  report.purges = static_cast<bool>(job.purge);

  auto held = job.state->load(job.target_id);
  if (!held.ok()) return held.error();
  std::vector<RemoteObject> listed;
  if (job.options.verify_remote) {
    auto listing = job.client->list();
    if (!listing.ok()) return listing.error();
    listed = std::move(listing.value());
  }
  auto sync_number = job.state->next_sync(job.target_id);
  if (!sync_number.ok()) return sync_number.error();
  auto planned = plan_sync(
      {job.out, job.config, &held.value(), job.options.verify_remote ? &listed : nullptr, sync_number.value()});
  if (!planned.ok()) return planned.error();
  SyncPlan& plan = planned.value();
  if (!job.options.dry_run) {
    auto begun = job.state->begin_sync(job.target_id);
    if (!begun.ok()) return begun.error();
  }
  for (const DeployedObject& object : plan.retains) report.retained.push_back(object.key);
  report.unchanged = plan.unchanged;
  report.adopted = plan.adopt.size();

  std::vector<DeployedObject> changed;
  if (job.options.dry_run) {
    for (const PlannedUpload& upload : plan.uploads) {
      report.uploaded.push_back({upload.object.key, upload.object.size, upload.reason});
      report.bytes += upload.object.size;
      changed.push_back(upload.object);
    }
  } else {
    Status adopted = job.state->record_all(job.target_id, plan.adopt);
    if (!adopted.ok()) return adopted.error();
    std::vector<const PlannedUpload*> assets, pages;
    for (const PlannedUpload& upload : plan.uploads) (upload.page ? pages : assets).push_back(&upload);
    upload_group(job, assets, report, changed);
    if (report.failed.empty()) {
      upload_group(job, pages, report, changed);
    } else {  // a page sent now could link to the asset that is missing
      report.pages_held_back = pages.size();
    }
  }

  const bool uploads_failed = !report.failed.empty();
  if (uploads_failed && !plan.deletes.empty()) {
    report.deletes_held_back = plan.deletes.size();
    report.held_back_reason = "uploads failed; nothing is deleted until every upload succeeds";
  } else if (plan.deletes.size() > static_cast<size_t>(job.options.max_deletes)) {
    report.deletes_held_back = plan.deletes.size();
    report.held_back_reason = std::to_string(plan.deletes.size()) + " deletes exceed --max-deletes " +
                              std::to_string(job.options.max_deletes) +
                              "; nothing was deleted (raise --max-deletes if the output is right)";
  } else if (job.options.dry_run) {
    for (const DeployedObject& object : plan.deletes) {
      report.deleted.push_back(object.key);
      changed.push_back(object);
    }
  } else {
    delete_objects(job, plan.deletes, report, changed);
    if (!uploads_failed) retire(job, held.value(), plan.retains, report);
  }

  purge_cdn(job, changed, report);
  if (!job.options.dry_run && job.config->warm.enabled && (!job.purge || report.purged)) warm_pages(job, plan, report);
  report.duration_ms = elapsed_ms(started);
  return report;
}

}  // namespace isrgen::publish
