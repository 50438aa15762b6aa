#!/usr/bin/env python3
"""Summarises the samples scripts/bench recorded, as a table or as JSON.

Usage: report.py SAMPLES_DIR --pages N --runs R --seed S --cpus C
                 --command CMD --tool-command LABEL=CMD... --outputs DIR
                 --outputs-filesystem TYPE [--jobs N] [--json]
SAMPLES_DIR holds `scenarios` (one scenario name a line, in the order they
ran) and `<scenario>.<tool>` files of `<wall seconds> <peak RSS KiB> <pages
rendered>` lines, one a run; `<scenario>.isrgen.phases` holds the
`stats.phases_ms` of each of isrgen's runs, one JSON object a line. DIR is
where the outputs were written, TYPE its file system.

`full` times full builds of isrgen, of the floor (floor.cpp: writing isrgen's
output files, and nothing else) and of the two Hugo twins (`hugo`, plain
`partial`; `hugo_cached`, `partialCached`), and compares isrgen with each
(`against`). isrgen's row there also has `per_page`: each phase's median time
per page in microseconds, its CPU time per page (user + system over all
threads, `cpu_us`; target at most 50) and the cores that kept busy on average
(`parallelism`: CPU time / wall time), and the median peak RSS per page in
KiB, which a build that scales linearly keeps flat as the page count grows. The sync scenarios time `isrgen sync` (and, for `sync_first`,
`aws s3 sync`: tool `aws`) to s3rver; their "rendered" column counts the
objects uploaded. `ci_page_edit` is the CI flow: a build of a fresh copy of
the site, one page edited, with the remote state in s3rver (fetched and stored
back within the time). Every other scenario is an incremental build of isrgen,
reported as a share of the full build of isrgen (`vs_isrgen_full`) and of each
Hugo (`vs_hugo_full`, `vs_hugo_cached_full`), Hugo having no incremental mode;
those are null when `full` did not run (or Hugo did not).

Each comparison that has a target carries it, with `met`: true, false, or
null when the run could not tell (an incremental target needs a full build).

`images` times full builds of the image site (genimages.py: --photos photos,
each encoded at 4 widths as WebP and JPEG) by isrgen and by Hugo; its
"rendered" column counts the images encoded, and `speedup` is Hugo's time over
isrgen's (target at least 3x). `images_noop` rebuilds isrgen's unchanged image
site, which must encode no image.

The serve scenarios (`serve_static`, `serve_webhook`) leave a
`<scenario>.json` summary written by serve.py: requests per second and
latency percentiles under wrk, `isrgen serve` against nginx for static files;
for webhooks also the burst: the builds it cost and the tags it named that
its jobs' builds rendered. `replace_files` leaves `replace_files.json`: the
median time of each way to replace every file of the output, and its ratio to
the floor writing the same files into a fresh folder.
"""

import argparse
import json
import statistics
from pathlib import Path

TOOLS = ["isrgen", "floor", "hugo", "hugo_cached", "aws"]
HUGOS = {"hugo": "Hugo partial", "hugo_cached": "Hugo partialCached"}
FULL = "full"
SYNC_FIRST, SYNC_NOOP = "sync_first", "sync_noop"
SERVE_SCENARIOS = ("serve_static", "serve_webhook")
REPLACE_FILES = "replace_files"
IMAGES, IMAGES_NOOP = "images", "images_noop"
# Encoding the same photos to the same widths and formats: at least this many
# times Hugo's throughput; and an unchanged site encodes none.
IMAGES_TARGET = {"min_speedup": 3.0}
IMAGES_NOOP_TARGET = {"max_encoded": 0}
# A sync of an unchanged output: no upload, and well under a second.
SYNC_NOOP_TARGET = {"max_wall_s": 1.0, "max_uploaded": 0, "max_deleted": 0}
# What a no-op build should cost: this share of isrgen's full build at most,
# and less than this many seconds.
NOOP_TARGET = {"max_share_of_full": 0.02, "max_wall_s": 0.1}
# A full build against each Hugo twin, partialCached above all (the fastest
# Hugo site): at least this many times faster, in at most this share of its
# peak memory.
FULL_TARGET = {"min_speedup": 5.0, "max_rss_ratio": 0.25}
# A full build against the floor, the time writing its output files alone
# takes: at most this multiple of it.
FLOOR_TARGET = {"max_overhead": 1.5}
# A full build's CPU time (user + system, summed over its threads) per page:
# at most this many microseconds.
CPU_TARGET = {"max_cpu_us": 50.0}
# One page's Markdown edited: less than this many seconds.
PAGE_EDIT_TARGET = {"max_wall_s": 0.06}
# An edit that re-renders some of the pages costs at most this multiple of
# their share: as a share of isrgen's full build, at most 1.2 times the share
# of the pages it rendered.
SHARE_TARGET = {"max_times_pages_share": 1.2}
VERDICTS = {None: "unknown without a full build", True: "met", False: "missed"}


def read_samples(path):
    """Walls, peak RSS, pages rendered (a sync: objects uploaded) and, for a
    sync by isrgen, objects deleted (0 where a row has no fourth column)."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return ([float(row[0]) for row in rows], [int(row[1]) for row in rows],
            [int(row[2]) for row in rows], [int(row[3]) if len(row) > 3 else 0 for row in rows])


def median_count(counts):
    """The median of counts: a whole number unless it falls between two."""
    median = statistics.median(counts)
    return int(median) if median == int(median) else median


def summarise(path, pages, full):
    walls, kibs, rendered, deleted = read_samples(path)
    wall = statistics.median(walls)
    # Pages per second is a full build's throughput; an incremental build's
    # time is mostly what it costs to find out what to render.
    rate = round(pages / wall) if full and wall > 0 else None
    return {"wall_s": round(wall, 3),
            "rss_mb": round(statistics.median(kibs) / 1024, 1),
            "rendered": median_count(rendered),
            "pages_per_s": rate,
            "wall_s_runs": walls,
            "rss_mb_runs": [round(k / 1024, 1) for k in kibs],
            "rendered_runs": rendered,
            "deleted_runs": deleted}


def share(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def compare_tools(result):
    isrgen = result["isrgen"]
    result["against"] = {}
    if "floor" in result:
        overhead = share(isrgen["wall_s"], result["floor"]["wall_s"], 2)
        result["against"]["floor"] = {
            "overhead": overhead,
            "target": dict(FLOOR_TARGET, met=None if overhead is None
                           else overhead <= FLOOR_TARGET["max_overhead"])}
    for tool in HUGOS:
        if tool in result:
            speedup = share(result[tool]["wall_s"], isrgen["wall_s"], 2)
            rss_ratio = share(isrgen["rss_mb"], result[tool]["rss_mb"], 2)
            result["against"][tool] = {
                "speedup": speedup, "rss_ratio": rss_ratio,
                "target": dict(FULL_TARGET, speedup_met=speedup >= FULL_TARGET["min_speedup"],
                               rss_ratio_met=rss_ratio <= FULL_TARGET["max_rss_ratio"])}


def per_page(samples, row, pages):
    """isrgen's full build per page: each phase's median in microseconds (the
    phases in the order the build reports them; phases_ms counts whole
    milliseconds, so a phase is exact to 1000 / pages µs), the wall time too,
    and the median peak RSS in KiB."""
    path = samples / f"{FULL}.isrgen.phases"
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] \
        if path.exists() else []
    phases = {phase: round(statistics.median(run.get(phase, 0) for run in runs) * 1000 / pages, 1)
              for phase in (runs[0] if runs else {})}
    def median_cpu(tool):
        path = samples / f"{FULL}.{tool}.cpu"
        cpu = [float(line) for line in path.read_text().split()] if path.exists() else []
        return statistics.median(cpu) if cpu else None
    cpu_s, floor_cpu_s = median_cpu("isrgen"), median_cpu("floor")
    cpu_us = round(cpu_s * 1e6 / pages, 1) if cpu_s is not None else None
    return {"phases_us": phases,
            "wall_us": round(row["wall_s"] * 1e6 / pages, 1),
            # user + system CPU of every thread, and how many cores that kept busy on average
            "cpu_us": cpu_us,
            "parallelism": round(cpu_s / row["wall_s"], 2) if cpu_s is not None and row["wall_s"] else None,
            "cpu_target": dict(CPU_TARGET, met=None if cpu_us is None else cpu_us <= CPU_TARGET["max_cpu_us"]),
            # the floor's writing alone, for scale
            "floor_cpu_us": round(floor_cpu_s * 1e6 / pages, 1) if floor_cpu_s is not None else None,
            "rss_kib": round(statistics.median(read_samples(samples / f"{FULL}.isrgen")[1]) / pages, 2)}


def compare_with_full(name, result, full, pages):
    row = result["isrgen"]
    wall = row["wall_s"]
    for tool in TOOLS:
        result[f"vs_{tool}_full"] = share(wall, full[tool]["wall_s"]) if tool in full else None
    of_full = result["vs_isrgen_full"]
    if name == "noop":
        result["target"] = dict(NOOP_TARGET, met=noop_target_met(wall, of_full))
    elif name == "page_edit":
        result["target"] = dict(PAGE_EDIT_TARGET, met=wall < PAGE_EDIT_TARGET["max_wall_s"])
    elif name in ("record_edit", "template_edit"):
        allowed = SHARE_TARGET["max_times_pages_share"] * row["rendered"] / pages
        result["target"] = dict(SHARE_TARGET, max_share_of_full=round(allowed, 4),
                                met=None if of_full is None else of_full <= allowed)


def noop_target_met(wall, of_full):
    """True or False, or None when only a full build of isrgen could tell."""
    if wall >= NOOP_TARGET["max_wall_s"]:
        return False
    if of_full is None:
        return None
    return of_full <= NOOP_TARGET["max_share_of_full"]


def scenario(samples, name, pages, full):
    if name in SERVE_SCENARIOS or name == REPLACE_FILES:
        return json.loads((samples / f"{name}.json").read_text())
    result = {tool: summarise(samples / f"{name}.{tool}", pages, name == FULL)
              for tool in TOOLS if (samples / f"{name}.{tool}").exists()}
    if name == FULL:
        if "isrgen" in result:
            result["isrgen"]["per_page"] = per_page(samples, result["isrgen"], pages)
            compare_tools(result)
    elif name == SYNC_FIRST:
        if "isrgen" in result and "aws" in result:
            result["speedup"] = share(result["aws"]["wall_s"], result["isrgen"]["wall_s"], 2)
    elif name == IMAGES:
        if "isrgen" in result:
            row = result["isrgen"]
            row["images_per_s"] = round(row["rendered"] / row["wall_s"], 1) if row["wall_s"] else None
        if "isrgen" in result and "hugo" in result:
            result["hugo"]["images_per_s"] = (round(result["hugo"]["rendered"] / result["hugo"]["wall_s"], 1)
                                              if result["hugo"]["wall_s"] else None)
            speedup = share(result["hugo"]["wall_s"], result["isrgen"]["wall_s"], 2)
            result["speedup"] = speedup
            result["target"] = dict(IMAGES_TARGET, met=speedup is not None and speedup >= IMAGES_TARGET["min_speedup"])
    elif name == IMAGES_NOOP:
        if "isrgen" in result:
            result["target"] = dict(IMAGES_NOOP_TARGET,
                                    met=max(result["isrgen"]["rendered_runs"]) <= IMAGES_NOOP_TARGET["max_encoded"])
    elif name == SYNC_NOOP:
        if "isrgen" in result:
            row = result["isrgen"]
            # A sync of an unchanged output sends nothing: no upload, and no delete.
            result["target"] = dict(SYNC_NOOP_TARGET, met=row["wall_s"] < SYNC_NOOP_TARGET["max_wall_s"]
                                    and max(row["rendered_runs"]) <= SYNC_NOOP_TARGET["max_uploaded"]
                                    and max(row["deleted_runs"]) <= SYNC_NOOP_TARGET["max_deleted"])
    elif "isrgen" in result:
        compare_with_full(name, result, full or {}, pages)
    return result


def ratio(value):
    return "n/a" if value is None else f"{value:.2f}x"


def percent(value):
    return "" if value is None else f"{value * 100:.2f}%"


def print_row(scenario, tool, *cells):
    widths = [8, 12, 9, 8, 15, 13, 20]
    line = f"{scenario:<14} {tool:<11}" + "".join(
        f" {cell:>{width}}" for cell, width in zip(cells, widths))
    print(line.rstrip())


def target_text(name, target):
    """What the target of a scenario other than full asks, in words."""
    if name == "noop":
        return (f"at most {target['max_share_of_full']:.0%} of isrgen's full build "
                f"and under {target['max_wall_s'] * 1000:.0f} ms")
    if name == "page_edit":
        return f"under {target['max_wall_s'] * 1000:.0f} ms"
    if name == SYNC_NOOP:
        return f"no upload or delete, under {target['max_wall_s']:.0f} s"
    if name == IMAGES:
        return f"at least {target['min_speedup']:.0f}x Hugo's throughput (Hugo time / isrgen time: {{speedup}})"
    if name == IMAGES_NOOP:
        return "no image encoded"
    return (f"at most {target['max_share_of_full']:.2%} of isrgen's full build, "
            f"{target['max_times_pages_share']}x its share of the pages")


def print_targets(name, result):
    """The comparisons of a scenario and their targets, each met or missed."""
    if name == FULL:
        if "per_page" in result.get("isrgen", {}):
            cost = result["isrgen"]["per_page"]
            phases = ", ".join(f"{phase} {us:.1f}" for phase, us in cost["phases_us"].items())
            print(f"{name:<14} isrgen per page: {cost['wall_us']:.1f} µs wall ({phases} µs), "
                  f"{cost['rss_kib']:.2f} KiB peak RSS")
            if cost.get("cpu_us") is not None:
                print(f"{name:<14} isrgen CPU per page: {cost['cpu_us']:.1f} µs user + system over all threads "
                      f"(target at most {cost['cpu_target']['max_cpu_us']:.0f} µs: "
                      f"{VERDICTS[cost['cpu_target']['met']]}), {cost['parallelism']:.2f} cores busy on average "
                      "(CPU time / wall time)"
                      + (f"; the floor's writing: {cost['floor_cpu_us']:.1f} µs" if cost.get("floor_cpu_us") else ""))
        for tool, against in result.get("against", {}).items():
            target = against["target"]
            if tool == "floor":
                print(f"{name:<14} vs floor: overhead {ratio(against['overhead'])} (isrgen time / floor time; "
                      f"target at most {target['max_overhead']:.1f}x: {VERDICTS[target['met']]})")
                continue
            print(f"{name:<14} vs {HUGOS[tool]}: speedup {ratio(against['speedup'])} (Hugo time / "
                  f"isrgen time; target at least {target['min_speedup']:.0f}x: "
                  f"{VERDICTS[target['speedup_met']]}), memory {ratio(against['rss_ratio'])} "
                  f"(isrgen RSS / Hugo RSS; target at most {target['max_rss_ratio']:.2f}x: "
                  f"{VERDICTS[target['rss_ratio_met']]})")
    elif name == SYNC_FIRST and "speedup" in result:
        print(f"{name:<14} speedup {ratio(result['speedup'])} (aws s3 sync time / isrgen sync time)")
    elif "target" in result:
        text = target_text(name, result["target"]).replace("{speedup}", ratio(result.get("speedup")))
        print(f"{name:<14} target ({text}): {VERDICTS[result['target']['met']]}")


def print_table(report):
    print(f"isrgen vs Hugo: {report['pages']} pages, medians of {report['runs']} "
          f"run(s), seed {report['seed']}, {report['cpus']} CPUs")
    outputs = report["outputs"]
    print(f"outputs written to {outputs['folder']} ({outputs['filesystem']})")
    print()
    print_row("scenario", "tool", "wall s", "peak RSS MB", "rendered", "pages/s",
              "of isrgen full", "of hugo full", "of hugo_cached full")
    for name, result in report["scenarios"].items():
        if name in SERVE_SCENARIOS or name == REPLACE_FILES:
            continue
        for tool in TOOLS:
            if tool in result:
                row = result[tool]
                print_row(name, tool, f"{row['wall_s']:.3f}", f"{row['rss_mb']:.1f}",
                          row["rendered"], row["pages_per_s"] or row.get("images_per_s") or "",
                          percent(result.get("vs_isrgen_full")),
                          percent(result.get("vs_hugo_full")),
                          percent(result.get("vs_hugo_cached_full")))
        print_targets(name, result)
    if any(result.get(f"vs_{tool}_full") is not None
           for result in report["scenarios"].values() for tool in HUGOS):
        print("(of ... full: the time of an incremental build of isrgen as a share of a FULL build "
              "of each tool; Hugo has no incremental build)")
    if IMAGES in report["scenarios"]:
        print(f"(images: {report['photos']} photos; \"rendered\" counts the images encoded, "
              "\"pages/s\" images encoded per second)")
    if "floor" in report["scenarios"].get(FULL, {}):
        print("(floor: writing isrgen's output files into a fresh folder with as many threads, read into "
              "memory beforehand, so its RSS holds the whole output; the least any generator must do)")
    print_serve(report["scenarios"])
    print_replace(report["scenarios"].get(REPLACE_FILES))
    print()
    width = max(len(label) for label in ["bench", *report["commands"]]) + 1
    print(f"{'bench:':<{width}} {report['command']}")
    for label, command in report["commands"].items():
        print(f"{label + ':':<{width}} {command}")


def print_serve(scenarios):
    static, webhook = scenarios.get("serve_static"), scenarios.get("serve_webhook")
    if static:
        isrgen, nginx = static["isrgen"], static["nginx"]
        verdict = "met" if static["target"]["met"] else "missed"
        print(f"serve_static   isrgen serve {isrgen['requests_per_s']:.0f} requests/s (p99 {isrgen['p99_ms']} ms), "
              f"nginx {nginx['requests_per_s']:.0f} requests/s (p99 {nginx['p99_ms']} ms): "
              f"{static['share_of_nginx']:.2f} of nginx (target at least "
              f"{static['target']['min_share_of_nginx']:.2f}): {verdict}")
        print(f"               wrk: {isrgen['runs'][0]['command']}")
    if webhook:
        row, target = webhook["isrgen"], webhook["target"]
        print(f"serve_webhook  {row['requests_per_s']:.0f} signed webhooks accepted/s (target at least "
              f"{target['min_requests_per_s']}/s: {VERDICTS[target['requests_per_s_met']]}), p50 {row['p50_ms']} ms, "
              f"p99 {row['p99_ms']} ms (target under {target['max_p99_ms']:.0f} ms: {VERDICTS[target['p99_met']]})")
        print(f"               wrk: {row['runs'][0]['command']}")
        burst = webhook["burst"]
        print(f"serve_webhook  burst: {burst['accepted']} of {burst['webhooks']} webhooks accepted in "
              f"{burst['seconds']} s ({burst['accepted_per_s']}/s), {burst['builds']} builds (target at most "
              f"{burst['target']['max_builds']}: {VERDICTS[burst['target']['builds_met']]}), "
              f"{burst['tags_rendered']} of {burst['tags_named']} tags named rendered by their jobs' builds "
              f"(target all: {VERDICTS[burst['target']['all_rendered_met']]})")


REPLACE_METHODS = {
    "create": "create fresh (the floor)",
    "exchange-recycled": "exchange with a recycled spare (isrgen)",
    "in-place": "rewrite in place (not atomic)",
    "rename-beside": "rename over, temporary beside",
    "rename-shared": "rename over, one temporary folder",
}


def print_replace(replace):
    if not replace:
        return
    print(f"replace_files  each file of isrgen's output replaced, {replace['threads']} threads, medians:")
    for method, row in replace["methods"].items():
        print(f"               {REPLACE_METHODS.get(method, method):<42} {row['wall_s']:.3f} s  "
              f"{row['of_floor']:.2f}x the floor  ({row['files']} files)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--photos", type=int)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cpus", type=int, required=True)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--command", required=True)
    parser.add_argument("--tool-command", action="append", default=[])
    parser.add_argument("--outputs", required=True)
    parser.add_argument("--outputs-filesystem", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    names = (args.samples / "scenarios").read_text().split()
    scenarios = {}
    for name in names:  # in the order they ran, full first
        scenarios[name] = scenario(args.samples, name, args.pages, scenarios.get(FULL))
    report = {"pages": args.pages, "photos": args.photos, "runs": args.runs, "seed": args.seed,
              "jobs": args.jobs, "cpus": args.cpus, "command": args.command,
              "commands": dict(item.split("=", 1) for item in args.tool_command),
              "outputs": {"folder": args.outputs, "filesystem": args.outputs_filesystem},
              "scenarios": scenarios}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
