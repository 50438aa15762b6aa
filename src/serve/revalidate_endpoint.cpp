#include "serve/revalidate_endpoint.h"

#include <variant>

#include "serve/revalidate_request.h"
#include "serve/webhook_auth.h"

namespace isrgen::serve {
namespace {

HttpResponse refusal(int status, const std::string& reason) {
  return HttpResponse::json(status, {{"error", reason}});
}

// How long a sender should wait before retrying a full queue: the worker
// empties it into one build, so a few seconds is usually enough.
constexpr const char* kRetryAfterSeconds = "5";

// The answer to a job the store took (or could not take).
WebhookOutcome stored_answer(const Result<AcceptOutcome>& accepted) {
  if (!accepted) return {refusal(500, "the job could not be stored; retry later"), false};
  if (const auto* full = std::get_if<QueueFull>(&accepted.value())) {
    HttpResponse response = refusal(429, "the queue is full (" + std::to_string(full->max_queued) +
                                             " jobs wait); retry later");
    response.headers.emplace_back("Retry-After", kRetryAfterSeconds);
    return {std::move(response), false};
  }
  const Acceptance& acceptance = std::get<Acceptance>(accepted.value());
  nlohmann::json body = {{"job", acceptance.job_id}};
  if (acceptance.duplicate) body["duplicate"] = true;
  return {HttpResponse::json(202, body), !acceptance.duplicate};
}

}  // namespace

void handle_revalidate(const HttpRequest& request, const WebhookSettings& settings, const SiteConfig& config,
                       const Clock& clock, const JobAcceptor& accept, std::function<void(WebhookOutcome)> answer) {
  auto auth = authenticate_webhook(request.body, request.headers, settings.secret, clock, settings.tolerance_seconds);
  if (!auth) {
    HttpResponse response = refusal(401, auth.error().message);
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"isrgen\"");
    return answer({std::move(response), false});
  }
  auto id = delivery_id(request.headers, auth.value());
  if (!id) return answer({refusal(400, id.error().message), false});
  auto parsed = parse_revalidate_request(request.body, config, settings.map);
  if (!parsed) return answer({refusal(400, parsed.error().message), false});

  JobRequest job{std::move(parsed.value().tags), std::move(parsed.value().paths), std::move(id.value())};
  accept(std::move(job), [answer = std::move(answer)](const Result<AcceptOutcome>& accepted) {
    answer(stored_answer(accepted));
  });
}

}  // namespace isrgen::serve
