#!/usr/bin/env python3
"""Summarises the samples scripts/bench recorded, as a table or as JSON.

Usage: report.py SAMPLES_DIR --pages N --runs R --seed S --cpus C
                 --command CMD --tool-command TOOL=CMD... [--jobs N] [--json]
SAMPLES_DIR holds `scenarios` (one scenario name a line, in the order they
ran) and `<scenario>.<tool>` files of `<wall seconds> <peak RSS KiB>` lines,
one a run, as `/usr/bin/time -f '%e %M'` wrote them.
"""

import argparse
import json
import statistics
from pathlib import Path

TOOLS = ["isrgen", "hugo"]


def read_samples(path):
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return [float(wall) for wall, _ in rows], [int(kib) for _, kib in rows]


def summarise(path, pages):
    walls, kibs = read_samples(path)
    wall = statistics.median(walls)
    return {"wall_s": round(wall, 3),
            "rss_mb": round(statistics.median(kibs) / 1024, 1),
            "pages_per_s": round(pages / wall) if wall > 0 else None,
            "wall_s_runs": walls,
            "rss_mb_runs": [round(k / 1024, 1) for k in kibs]}


def scenario(samples, name, pages):
    result = {tool: summarise(samples / f"{name}.{tool}", pages)
              for tool in TOOLS if (samples / f"{name}.{tool}").exists()}
    if len(result) == len(TOOLS):
        isrgen, hugo = result["isrgen"], result["hugo"]
        result["speedup"] = (round(hugo["wall_s"] / isrgen["wall_s"], 2)
                             if isrgen["wall_s"] > 0 else None)
        result["rss_ratio"] = (round(isrgen["rss_mb"] / hugo["rss_mb"], 2)
                               if hugo["rss_mb"] > 0 else None)
    return result


def ratio(value):
    return "n/a" if value is None else f"{value:.2f}x"


def print_table(report):
    print(f"isrgen vs Hugo: {report['pages']} pages, medians of {report['runs']} "
          f"run(s), seed {report['seed']}, {report['cpus']} CPUs")
    print()
    print(f"{'scenario':<10} {'tool':<8} {'wall s':>8} {'peak RSS MB':>12} {'pages/s':>9}")
    for name, result in report["scenarios"].items():
        for tool in TOOLS:
            if tool in result:
                row = result[tool]
                print(f"{name:<10} {tool:<8} {row['wall_s']:>8.2f} "
                      f"{row['rss_mb']:>12.1f} {row['pages_per_s'] or 0:>9}")
        if "speedup" in result:
            print(f"{name:<10} speedup {ratio(result['speedup'])} (Hugo time / isrgen time), "
                  f"memory {ratio(result['rss_ratio'])} (isrgen RSS / Hugo RSS)")
    print()
    print(f"bench:  {report['command']}")
    for tool, command in report["commands"].items():
        print(f"{tool + ':':<7} {command}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cpus", type=int, required=True)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--command", required=True)
    parser.add_argument("--tool-command", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    names = (args.samples / "scenarios").read_text().split()
    report = {"pages": args.pages, "runs": args.runs, "seed": args.seed,
              "jobs": args.jobs, "cpus": args.cpus, "command": args.command,
              "commands": dict(item.split("=", 1) for item in args.tool_command),
              "scenarios": {name: scenario(args.samples, name, args.pages)
                            for name in names}}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
