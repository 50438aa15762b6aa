// isrgen command line: wiring only; the work lives in the modules.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "build/builder.h"
#include "build/parallel.h"
#include "cli/console.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace {

constexpr int kExitUsage = 2;

struct BuildFlags {
  std::string out;
  bool force = false;
  int jobs = 0;
  bool json = false;
  bool quiet = false;
};

int run_build_command(const std::string& site, const BuildFlags& flags) {
  isrgen::Console console(flags.quiet, flags.json);
  isrgen::BuildOptions options;
  options.force = flags.force;
  options.jobs = flags.jobs > 0 ? flags.jobs : isrgen::default_jobs();
  options.on_progress = [&console](size_t done, size_t total) { console.progress(done, total); };
  isrgen::SystemClock clock;
  auto report = isrgen::run_build(isrgen::make_site_paths(site, flags.out), options, clock);
  if (!report.ok()) {
    console.error(report.error().to_string());
    return kExitUsage;
  }
  for (const auto& failure : report.value().failed) console.error(failure.error);
  console.build_summary(report.value());
  if (flags.json) std::cout << report.value().to_json().dump(2) << std::endl;
  return report.value().exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"isrgen: incremental static-site generator for multi-tenant promo pages"};
  app.require_subcommand(1);
  std::string site = ".";
  app.add_option("--site", site, "Site folder (holds content/ and templates/)")->check(CLI::ExistingDirectory);

  BuildFlags build_flags;
  CLI::App* build = app.add_subcommand("build", "Render the site into the output folder");
  build->add_option("--site", site, "Site folder (holds content/ and templates/)")->check(CLI::ExistingDirectory);
  build->add_option("--out", build_flags.out, "Output folder (default: <site>/out)");
  build->add_flag("--force", build_flags.force, "Ignore the state index and render everything");
  build->add_option("--jobs,-j", build_flags.jobs, "Parallel render jobs (default: all cores)")->check(CLI::NonNegativeNumber);
  build->add_flag("--json", build_flags.json, "Print the build report as JSON on stdout");
  build->add_flag("--quiet,-q", build_flags.quiet, "Print only errors");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  }
  if (*build) return run_build_command(site, build_flags);
  return kExitUsage;
}
