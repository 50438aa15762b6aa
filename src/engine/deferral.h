// [build] prerender = "high" (site/site_config.h): a page variant that has
// never been rendered and whose priority is not "high" is deferred — neither
// rendered nor an error — until someone asks for it by URL (isrgen serve on its
// first request, revalidate --path). Once rendered it is tracked like any page.
//
// The priority lives in the page's front matter, so learning it costs a read
// and a parse. A deferred variant is therefore remembered in the state index
// with the content hashes of its page files: while they stay the same, later
// builds skip it without reading them.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/build_record.h"
#include "engine/page_variants.h"
#include "engine/planner.h"
#include "site/page_scan.h"
#include "site/site_config.h"
#include "state/dep_index.h"

namespace isrgen {

class Deferral {
 public:
  // `inputs_now`: every input file with its content hash (InputScan::current);
  // `stored`: the deferred pages the state index remembers.
  Deferral(const SiteConfig& config, const PageScan& page_scan, const std::vector<VariantSlot>& slots,
           const std::map<std::string, StoredInput>& inputs_now, std::map<PageKey, DeferredPage> stored);

  // Before preparing. The planned variants that may be deferred are those never
  // rendered (not in `rendered`) and not in `asked_for`; of them, the ones
  // deferred last time with the same page files leave `planned` at once.
  // `trust_stored` false (build --force) reads every one of them again.
  void skip_unchanged(RenderPlan& planned,
                      const std::map<PageKey, PageRecord>& rendered, const std::set<PageKey>& asked_for,
                      bool trust_stored);

  // After preparing: the variants that may be deferred and turned out not to be
  // of priority high leave `jobs` and `planned`. A variant that failed to
  // prepare stays, so its error is reported.
  void defer_prepared(std::vector<VariantJob>& jobs, RenderPlan& planned);

  const std::map<PageKey, DeferredPage>& deferred() const { return deferred_; }

  // Records this build's deferred pages (those new or changed since `stored`)
  // and forgets the ones that are not any more (rendered now, gone, or
  // prerender is "all" again).
  void record(BuildRecord& record) const;

 private:
  DeferredPage describe(const VariantSlot& slot) const;

  const SiteConfig& config_;
  const PageScan& page_scan_;
  const std::vector<VariantSlot>& slots_;
  const std::map<std::string, StoredInput>& inputs_now_;
  const std::map<PageKey, DeferredPage> stored_;
  std::map<PageKey, DeferredPage> eligible_;  // may be deferred once their priority is known
  std::map<PageKey, DeferredPage> deferred_;
};

}  // namespace isrgen
