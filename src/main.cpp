// isrgen command line: wiring only; the commands live in src/cli/.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/version.h"
#include "util/nearest_word.h"

namespace {

// Options every command takes. `isrgen serve` has no --json: its output is a
// stream of log lines, and GET /jobs/<id> gives each build's report.
void add_common(CLI::App& command, isrgen::CommonFlags& common, bool builds, bool json = true) {
  command.add_option("--site", common.site, "Site folder (holds content/ and templates/)")
      ->check(CLI::ExistingDirectory);
  command.add_option("--out", common.out, "Output folder (default: <site>/out)");
  if (json) command.add_flag("--json", common.json, "Print the result as JSON on stdout");
  if (!builds) return;
  command.add_flag("--quiet,-q", common.quiet, "Print only errors");
  command.add_option("--jobs,-j", common.jobs, "Parallel render jobs (default: all cores)")
      ->check(CLI::NonNegativeNumber);
}

// --verbose, for the commands that render, delete or upload files.
void add_verbose(CLI::App& command, bool& verbose) {
  command.add_flag("--verbose,-v", verbose,
                   "List each file rendered, deleted or uploaded with its reasons, and the pages each error holds back");
}

// The word where a command expects one of its subcommands and none is named
// (`isrgen buidl`, `isrgen inspect pgae`): CLI11 would say only that a
// subcommand is required. Returns "unknown command ..." with the nearest
// name, or nothing when every command word is known.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* current = &app;
  std::string path = "isrgen";
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") return std::nullopt;
    if (word.starts_with('-')) {  // an option, and the value it takes after a space
      const CLI::Option* option = current->get_option_no_throw(std::string(word));
      if (word.find('=') == std::string_view::npos && option && option->get_type_size() != 0) ++i;
      continue;
    }
    std::vector<std::string> names;
    const CLI::App* named = nullptr;
    for (const CLI::App* subcommand : current->get_subcommands({})) {
      if (subcommand->get_name() == word) named = subcommand;
      names.push_back(subcommand->get_name());
    }
    if (names.empty()) return std::nullopt;  // the command's own arguments follow
    if (!named) {
      std::string list;
      for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
      return "unknown command '" + std::string(word) + "'" + (current == &app ? "" : " for '" + path + "'") +
             isrgen::did_you_mean(word, names) + "\n" + path + " commands: " + list + " (" + path + " --help says more)";
    }
    current = named;
    path += " " + named->get_name();
  }
  return std::nullopt;
}

// --wait, for the commands that take the site's lock.
void add_wait(CLI::App& command, int& wait_seconds) {
  command.add_option("--wait", wait_seconds,
                     "Wait up to SECONDS for another isrgen run on this site to finish (default: do not wait)")
      ->check(CLI::NonNegativeNumber);
}

// --state and --state-wait, for the commands that take the site's lock (but `dev`).
void add_state(CLI::App& command, isrgen::CommonFlags& common) {
  command.add_option("--state", common.state_url,
                     "Keep the site's state in s3://bucket/prefix or a folder, fetched before the run and stored "
                     "after it (default: $ISRGEN_STATE, else [state] url)");
  command.add_option("--state-wait", common.state_wait_seconds,
                     "Wait up to SECONDS for another run holding the remote state's lease (default: do not wait)")
      ->check(CLI::NonNegativeNumber);
}

// --sync and its --target, for the commands that build.
void add_sync_after_build(CLI::App& command, bool& sync, std::string& target) {
  command.add_flag("--sync", sync, "Sync the output after each good build (as isrgen sync)");
  command.add_option("--target", target,
                     "With --sync: s3://bucket/prefix, file:///folder or a folder (default: [deploy] target)");
}

// --target names where --sync goes: alone it would be silently ignored.
template <class Flags>
bool target_without_sync(const char* command, const Flags& flags) {
  if (flags.target.empty() || flags.sync) return false;
  std::fprintf(stderr, "%s: --target needs --sync\n", command);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace isrgen;
  CLI::App app{"isrgen: incremental static-site generator for multi-tenant promo pages"};
  app.require_subcommand(1);
  // Answered before the subcommand is required, like --help.
  app.set_version_flag("--version", [] { return version_text(); }, "Print the versions of isrgen and its libraries");
  CommonFlags common;
  app.add_option("--site", common.site, "Site folder (holds content/ and templates/)")->check(CLI::ExistingDirectory);

  BuildFlags build_flags;
  CLI::App* build = app.add_subcommand("build", "Render what changed since the last build (first run: everything)");
  add_common(*build, common, true);
  add_verbose(*build, common.verbose);
  add_wait(*build, common.wait_seconds);
  add_state(*build, common);
  build->add_flag("--force", build_flags.force, "Ignore the state index and render everything");
  build->add_flag("--verify", build_flags.verify,
                  "Afterwards build afresh in a temporary folder and compare byte for byte (exit 1 on differences)");
  build->add_flag("--offline", build_flags.offline, "Fetch no remote source: serve their snapshots as they are");
  build->add_flag("--strict", build_flags.strict,
                  "A remote source that cannot be refreshed fails the build (exit 1); pages with nothing to show fail");
  add_sync_after_build(*build, build_flags.sync, build_flags.target);
  build->add_option("--shard", build_flags.shard,
                    "Build only shard I of N (I/N) of the pages, for a site built on N runners and combined by "
                    "merge-state")
      ->envname("ISRGEN_SHARD");

  RevalidateFlags revalidate_flags;
  CLI::App* revalidate = app.add_subcommand(
      "revalidate", "Refetch remote sources and re-render the pages carrying tags or served at URLs");
  add_common(*revalidate, common, true);
  add_verbose(*revalidate, common.verbose);
  add_wait(*revalidate, common.wait_seconds);
  add_state(*revalidate, common);
  revalidate->add_option("--tag", revalidate_flags.tags,
                         "A dependency tag (models:42); a trailing * matches a prefix (models:*). A tag of a remote "
                         "source (source:jobs, jobs:42) refetches it and re-renders what its data changed");
  revalidate->add_option("--path", revalidate_flags.urls, "A page URL: https://<tenant host>/x/ or /<tenant>/x/ (a page deferred by "
                         "[build] prerender = \"high\" is rendered too)");
  revalidate->add_flag("--expired", revalidate_flags.expired,
                       "Refetch every remote source past its revalidate time");
  revalidate->add_flag("--strict", revalidate_flags.strict,
                       "A remote source that cannot be refreshed fails the run (exit 1)");
  add_sync_after_build(*revalidate, revalidate_flags.sync, revalidate_flags.target);

  CLI::App* inspect = app.add_subcommand("inspect", "Show what the state index knows");
  inspect->require_subcommand(1);
  std::string tag, page, lang, output;
  CLI::App* inspect_tag = inspect->add_subcommand("tag", "Pages carrying a tag (a trailing * matches a prefix)");
  add_common(*inspect_tag, common, false);
  inspect_tag->add_option("tag", tag, "The tag")->required();
  CLI::App* inspect_page = inspect->add_subcommand("page", "A page's tags, inputs and last reasons");
  add_common(*inspect_page, common, false);
  inspect_page->add_option("page", page, "TENANT/SLUG, e.g. acme/summer")->required();
  inspect_page->add_option("--lang", lang, "Only this language");

  CLI::App* inspect_sources =
      inspect->add_subcommand("sources", "Remote sources: snapshot age, staleness, validators, last error");
  add_common(*inspect_sources, common, false);

  CLI::App* why = app.add_subcommand("why", "Why an output file was (or was not) rendered again");
  add_common(*why, common, false);
  why->add_option("output", output, "Output path, e.g. acme/summer/index.html")->required();

  SyncFlags sync_flags;
  CLI::App* sync = app.add_subcommand("sync", "Upload what changed in the output to a bucket or folder, then purge the CDN");
  add_common(*sync, common, false);
  add_wait(*sync, common.wait_seconds);
  add_state(*sync, common);
  sync->add_flag("--quiet,-q", common.quiet, "Print only errors");
  add_verbose(*sync, common.verbose);
  sync->add_option("--jobs,-j", common.jobs, "Parallel uploads (default: 16)")->check(CLI::NonNegativeNumber);
  sync->add_option("--target", sync_flags.target, "s3://bucket/prefix, file:///folder or a folder (default: [deploy] target)");
  sync->add_flag("--dry-run", sync_flags.dry_run, "Print the plan (uploads, deletes, purges) and send nothing that writes");
  sync->add_option("--max-deletes", sync_flags.max_deletes, "Delete nothing (and exit 1) when more objects would go (default 256)")
      ->check(CLI::NonNegativeNumber);
  sync->add_flag("--verify-remote", sync_flags.verify_remote,
                 "List the target and compare ETag and size, instead of trusting the deploy state alone");

  WatchFlags watch_flags;
  CLI::App* watch = app.add_subcommand("watch", "Rebuild as content/, templates/ and static/ change, until Ctrl-C");
  add_common(*watch, common, true);
  add_verbose(*watch, common.verbose);
  add_wait(*watch, common.wait_seconds);
  add_state(*watch, common);
  add_sync_after_build(*watch, watch_flags.sync, watch_flags.target);
  watch->add_flag("--poll", watch_flags.poll,
                  "Compare file signatures twice a second instead of inotify (network and container mounts)");

  ServeFlags serve_flags;
  CLI::App* serve = app.add_subcommand(
      "serve", "Take signed revalidation webhooks and serve the output as an ISR origin, until Ctrl-C");
  add_common(*serve, common, true, /*json=*/false);
  add_wait(*serve, common.wait_seconds);
  add_state(*serve, common);
  serve->add_option("--listen", serve_flags.listen, "HOST:PORT to listen on; port 0 picks one (default: [serve] "
                                                     "listen, else 127.0.0.1:8080)");
  add_sync_after_build(*serve, serve_flags.sync, serve_flags.target);

  DevFlags dev_flags;
  CLI::App* dev = app.add_subcommand(
      "dev", "Preview the site at http://<tenant>.localhost:4000/ with live reload while you edit, until Ctrl-C");
  add_common(*dev, common, true, /*json=*/false);
  add_wait(*dev, common.wait_seconds);
  dev->add_option("--listen", dev_flags.listen,
                  "HOST:PORT to listen on (default 127.0.0.1:4000); another address than the loopback only as a number");
  dev->add_flag("--poll", dev_flags.poll,
                "Compare file signatures twice a second instead of inotify (network and container mounts)");

  std::string init_folder;
  CLI::App* init = app.add_subcommand("init", "Write a starter site into a new or empty folder");
  init->add_option("folder", init_folder, "The folder of the new site")->required();

  std::vector<std::string> merge_parts;
  CLI::App* merge_state = app.add_subcommand(
      "merge-state", "Combine the folders of every shard of a sharded build (build --shard I/N) into this site");
  add_common(*merge_state, common, true);
  add_wait(*merge_state, common.wait_seconds);
  merge_state->add_option("parts", merge_parts, "The site folder each shard was built in")
      ->required()
      ->check(CLI::ExistingDirectory);

  // `isrgen help [COMMAND...]` is `isrgen [COMMAND...] --help`, as in git,
  // cargo and gh.
  std::vector<char*> help_args;
  if (argc >= 2 && std::string_view(argv[1]) == "help") {
    static char help_flag[] = "--help";
    help_args.push_back(argv[0]);
    for (int i = 2; i < argc; ++i) help_args.push_back(argv[i]);
    help_args.push_back(help_flag);
    argc = static_cast<int>(help_args.size());
    argv = help_args.data();
  }
  if (auto unknown = unknown_command(app, argc, argv)) {
    std::fprintf(stderr, "%s\n", unknown->c_str());
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  // Commands that write the state or the output hold the site's lock while
  // they run, and (but `dev`) the remote state's lease when one is set.
  auto locked = [&common](const char* command, auto run, bool remote_state = true) -> int {
    auto lock = lock_site(common, std::string("isrgen ") + command);
    if (lock.ok())
      return remote_state ? with_remote_state(common, std::string("isrgen ") + command, run) : run();
    std::fprintf(stderr, "%s\n", lock.error().to_string().c_str());
    return exit_code_for(lock.error());
  };
  if (*build)
    return target_without_sync("build", build_flags) ? kExitUsage
                                                     : locked("build", [&] { return build_command(common, build_flags); },
                                                              build_flags.shard.empty());  // a shard keeps no remote state
  if (*revalidate) {
    if (target_without_sync("revalidate", revalidate_flags)) return kExitUsage;
    if (revalidate_flags.tags.empty() && revalidate_flags.urls.empty() && !revalidate_flags.expired) {
      std::fprintf(stderr, "revalidate: give at least one --tag, --path or --expired\n");
      return kExitUsage;
    }
    return locked("revalidate", [&] { return revalidate_command(common, revalidate_flags); });
  }
  if (*inspect_tag) return inspect_tag_command(common, tag);
  if (*inspect_page) return inspect_page_command(common, page, lang);
  if (*inspect_sources) return inspect_sources_command(common);
  if (*why) return why_command(common, output);
  if (*merge_state)
    return locked("merge-state", [&] { return merge_state_command(common, merge_parts); }, false);
  if (*sync) return locked("sync", [&] { return sync_command(common, sync_flags); });
  if (*watch)
    return target_without_sync("watch", watch_flags) ? kExitUsage
                                                     : locked("watch", [&] { return watch_command(common, watch_flags); });
  if (*serve)
    return target_without_sync("serve", serve_flags) ? kExitUsage
                                                     : locked("serve", [&] { return serve_command(common, serve_flags); });
  // A preview of uncommitted edits must neither take the pipeline's lease
  // nor replace out/ with the pipeline's state, nor store itself as its next
  // generation: `dev` never touches the remote state.
  if (*dev) return locked("dev", [&] { return dev_command(common, dev_flags); }, false);
  if (*init) return init_command(init_folder);
  return kExitUsage;
}
