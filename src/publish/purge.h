// CDN purge after a sync: the URLs of the objects that changed and the cache
// tags of the pages among them, as the requests each provider's API takes.
// Builders return plain HttpCalls, so tests check the exact request; the sync
// sends them with the same runner as its uploads. Tokens and signatures travel
// as credential headers (net/http_request.h).
//
//   webhook     POST {"paths":[...],"tags":[...]} to `url`, signed in
//               X-Isrgen-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with `secret`>
//               (the form serve/webhook_auth.h checks: a receiver refuses a replay
//               once t is older than its tolerance)
//   cloudfront  one CreateInvalidation of the paths; over `max_paths` (at most
//               3,000, CloudFront's limit in progress) one "/*"
//   fastly      surrogate-key purge of the tags, 256 keys per request, soft by default
//   cloudflare  purge_cache by tag, 100 tags per request
// Limits and their sources: purge_limits.h. `endpoint` replaces the provider's
// API origin (a proxy, or a test's stand-in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "publish/deploy_config.h"
#include "publish/deploy_state.h"
#include "publish/http_call.h"
#include "publish/purge_request.h"
#include "publish/s3_request.h"
#include "util/clock.h"

namespace isrgen::publish {

// The paths and page tags of objects that were uploaded or deleted, sorted, without repeats.
PurgeRequest purge_request_for(const std::vector<DeployedObject>& changed);

// `clock` gives the signature's timestamp.
std::vector<net::Request> webhook_purge_calls(const PurgeConfig& config, const PurgeRequest& request, const Clock& clock);
// `aws` signs the request (CloudFront is global: region us-east-1); `caller_reference`
// must be unique per sync (CloudFront takes a repeated one as the same invalidation).
std::vector<net::Request> cloudfront_purge_calls(const PurgeConfig& config, const PurgeRequest& request,
                                             const S3Settings& aws, const std::string& caller_reference);
std::vector<net::Request> fastly_purge_calls(const PurgeConfig& config, const PurgeRequest& request);
std::vector<net::Request> cloudflare_purge_calls(const PurgeConfig& config, const PurgeRequest& request);

// Why a 2xx answer of `provider` still refused the purge, or nullopt: the
// Cloudflare API reports failures in its envelope ({"success": false,
// "errors": [...]}), not always in the status.
std::optional<std::string> purge_answer_refusal(const std::string& provider, const net::Response& answer);

}  // namespace isrgen::publish
