#include "serve/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace isrgen::serve {

enum class MetricsRegistry::Kind : int { kCounter, kHistogram, kGauge };

struct MetricsRegistry::Series {
  MetricLabels labels;
  std::string rendered_labels;  // name="value",... without braces
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Histogram> histogram;
  std::function<double()> read;
};

struct MetricsRegistry::Family {
  std::string name;
  std::string help;
  Kind kind;
  const char* type;  // as the TYPE line says it
  std::vector<std::unique_ptr<Series>> series;
};

namespace {

// Prometheus writes numbers as Go's strconv does: the shortest text that reads
// back as the same double, and NaN, +Inf, -Inf by name.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

void append_number(std::string& out, uint64_t value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// HELP escapes backslash and line feed; label values also the double quote.
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && escape_quote) out += "\\\"";
    else out += c;
  }
}

std::string render_labels(const MetricLabels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  }
  return out;
}

// name{labels} value, or name value without labels; `extra` is one more
// label (the histogram's le) already rendered.
void append_sample(std::string& out, std::string_view name, std::string_view suffix, const std::string& labels,
                   std::string_view extra = {}) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra.empty()) out += ',';
    out += extra;
    out += '}';
  }
  out += ' ';
}

double read_gauge(const std::function<double()>& read) {
  try {
    return read();
  } catch (...) {
    return std::nan("");
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds) : upper_bounds_(std::move(upper_bounds)) {
  std::erase_if(upper_bounds_, [](double bound) { return std::isnan(bound) || std::isinf(bound); });
  std::sort(upper_bounds_.begin(), upper_bounds_.end());
  upper_bounds_.erase(std::unique(upper_bounds_.begin(), upper_bounds_.end()), upper_bounds_.end());
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(upper_bounds_.size() + 1);
}

void Histogram::observe(double value) {
  // The first bound the value does not exceed (le is inclusive); NaN and
  // values past the last bound land in +Inf.
  size_t index = upper_bounds_.size();
  if (!std::isnan(value)) {
    index = static_cast<size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                                upper_bounds_.begin());
  }
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(upper_bounds_.size() + 1);
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    snapshot.count += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(snapshot.count);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Series& MetricsRegistry::series(std::string_view name, std::string_view help, Kind kind,
                                                 const MetricLabels& labels) {
  auto same_name = [&](const std::unique_ptr<Family>& f) { return f->name == name; };
  auto found = std::find_if(families_.begin(), families_.end(), same_name);
  if (found == families_.end()) {
    const char* type = kind == Kind::kCounter ? "counter" : kind == Kind::kHistogram ? "histogram" : "gauge";
    families_.push_back(std::make_unique<Family>(Family{std::string(name), std::string(help), kind, type, {}}));
    found = families_.end() - 1;
  }
  Family& family = **found;
  auto fresh = [&] { return std::make_unique<Series>(Series{labels, render_labels(labels), nullptr, nullptr, nullptr}); };
  if (family.kind != kind) {  // the name is another kind's (see the header)
    unexposed_.push_back(fresh());
    return *unexposed_.back();
  }
  for (const std::unique_ptr<Series>& existing : family.series) {
    if (existing->labels == labels) return *existing;
  }
  family.series.push_back(fresh());
  return *family.series.back();
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& s = series(name, help, Kind::kCounter, labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const std::vector<double>& upper_bounds, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& s = series(name, help, Kind::kHistogram, labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(upper_bounds);
  return *s.histogram;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                                     const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  series(name, help, Kind::kGauge, labels).read = std::move(read);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const std::unique_ptr<Family>& family : families_) {
    const std::string& name = family->name;
    out += "# HELP " + name + ' ';
    append_escaped(out, family->help, false);
    out += "\n# TYPE " + name + ' ' + family->type + '\n';
    for (const std::unique_ptr<Series>& s : family->series) {
      if (s->counter) {
        append_sample(out, name, "", s->rendered_labels);
        append_number(out, s->counter->value());
        out += '\n';
      } else if (s->histogram) {
        Histogram::Snapshot snapshot = s->histogram->snapshot();
        const std::vector<double>& bounds = s->histogram->upper_bounds();
        for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
          std::string le = "le=\"";
          append_number(le, i < bounds.size() ? bounds[i] : HUGE_VAL);
          le += '"';
          append_sample(out, name, "_bucket", s->rendered_labels, le);
          append_number(out, snapshot.cumulative[i]);
          out += '\n';
        }
        append_sample(out, name, "_sum", s->rendered_labels);
        append_number(out, snapshot.sum);
        out += '\n';
        append_sample(out, name, "_count", s->rendered_labels);
        append_number(out, snapshot.count);
        out += '\n';
      } else {
        append_sample(out, name, "", s->rendered_labels);
        append_number(out, read_gauge(s->read));
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace isrgen::serve
