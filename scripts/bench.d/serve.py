#!/usr/bin/env python3
"""Load tests `isrgen serve` with wrk, against nginx in the same run.

Usage: serve.py SCENARIO --isrgen BIN --site DIR --out DIR --work DIR
                 [--duration S] [--connections C] [--runs R] --result FILE

serve_static   wrk fetches the pages of the built output (a fixed random
               sample of them, the same for both servers) from `isrgen serve`
               and from nginx serving the same folder (sendfile, open file
               cache, no access log, as many workers as CPUs: a tuned nginx).
               The figure is requests per second; the target is at least half
               of nginx's.
serve_webhook  wrk sends signed POST /revalidate webhooks (GitHub-style
               X-Hub-Signature-256) naming one page's tag each; every answer
               must be 202. The accepted jobs run as coalesced builds in the
               background while wrk keeps sending, as in production. Target:
               over 2000 accepted requests per second with p99 under 10 ms.
Each run gives requests/s and latency percentiles (wrk --latency); the
result file holds every run and the medians.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SECRET = "bench-webhook-secret"
STATIC_TARGET_SHARE = 0.5
WEBHOOK_TARGET = {"min_requests_per_s": 2000, "max_p99_ms": 10.0}


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url, process, what, log_file):
    """Polls url until it answers; a benchmark may wait, a test may not."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: {what} exited with {process.returncode} (see {log_file})")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers, if only with a refusal (nginx's 403 for a folder without an index)
        except OSError:
            time.sleep(0.05)
    sys.exit(f"bench: {what} did not answer {url} within 30 s (see {log_file})")


def start_isrgen(args, port):
    log_file = Path(args.work) / "isrgen-serve.log"
    env = dict(os.environ, ISRGEN_WEBHOOK_SECRET=SECRET)
    process = subprocess.Popen(
        [args.isrgen, "serve", "--site", args.site, "--out", args.out, "--listen", f"127.0.0.1:{port}", "--quiet"],
        stdout=open(log_file, "w"), stderr=subprocess.STDOUT, env=env)
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process, "isrgen serve", log_file)
    return process


NGINX_CONF = """
user root;
worker_processes {workers};
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi;
  uwsgi_temp_path {work}/nginx-uwsgi;
  scgi_temp_path {work}/nginx-scgi;
  types {{ text/html html; text/css css; application/javascript js; application/json json; }}
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{port};
    root {out};
    index index.html;
  }}
}}
"""


def start_nginx(args, port):
    conf = Path(args.work) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=os.cpu_count(), work=args.work, port=port, out=args.out))
    log_file = Path(args.work) / "nginx.log"
    process = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-p", args.work],
                               stdout=open(log_file, "w"), stderr=subprocess.STDOUT)
    wait_until_up(f"http://127.0.0.1:{port}/", process, "nginx", log_file)
    return process


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def page_paths(out, count, seed):
    """URL paths of `count` pages of the output, the same sample every run."""
    pages = sorted(str(p.parent.relative_to(out)) for p in Path(out).glob("*/*/index.html"))
    if not pages:
        sys.exit(f"bench: no pages under {out}")
    random.Random(seed).shuffle(pages)
    return ["/" + page + "/" for page in pages[:count]]


def lua_list(values):
    return "{" + ", ".join(json.dumps(value) for value in values) + "}"


STATIC_SCRIPT = """
local paths = {paths}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""

WEBHOOK_SCRIPT = """
local bodies = {bodies}
local signatures = {signatures}
local n = 0
request = function()
  n = n + 1
  local i = (n % #bodies) + 1
  return wrk.format("POST", "/revalidate", {{
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = signatures[i],
  }}, bodies[i])
end
"""

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url, script_text, args, work):
    script = Path(work) / "wrk.lua"
    script.write_text(script_text)
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {}
    for share, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        percentiles[share] = round(float(value) * UNITS_MS[unit], 3)
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"requests_per_s": rate, "p50_ms": percentiles.get("50"), "p99_ms": percentiles.get("99"),
            "non_2xx": int(failed.group(1)) if failed else 0,
            "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
            "command": " ".join(command)}


def median_of(runs, key):
    return round(statistics.median(run[key] for run in runs), 3)


def checked(run, what):
    if run["non_2xx"] or run["socket_errors"]:
        sys.exit(f"bench: {what}: {run['non_2xx']} answers were not 2xx/3xx and "
                 f"{run['socket_errors']} socket errors; the figures would not mean anything")
    return run


def serve_static(args):
    paths = page_paths(args.out, 1000, 1)
    script = STATIC_SCRIPT.format(paths=lua_list(paths))
    isrgen_port, nginx_port = free_port(), free_port()
    isrgen = start_isrgen(args, isrgen_port)
    nginx = start_nginx(args, nginx_port)
    runs = {"isrgen": [], "nginx": []}
    try:
        for run in range(args.runs):
            for tool, port in (("isrgen", isrgen_port), ("nginx", nginx_port)):
                result = checked(run_wrk(f"http://127.0.0.1:{port}", script, args, args.work), tool)
                runs[tool].append(result)
                log(f"serve_static {tool} run {run + 1}/{args.runs}: {result['requests_per_s']:.0f} requests/s, "
                    f"p99 {result['p99_ms']} ms")
    finally:
        stop(isrgen)
        stop(nginx)
    summary = {tool: {"requests_per_s": median_of(r, "requests_per_s"), "p99_ms": median_of(r, "p99_ms"),
                      "runs": r} for tool, r in runs.items()}
    share = summary["isrgen"]["requests_per_s"] / summary["nginx"]["requests_per_s"]
    summary["share_of_nginx"] = round(share, 3)
    summary["target"] = {"min_share_of_nginx": STATIC_TARGET_SHARE, "met": share >= STATIC_TARGET_SHARE}
    return summary


def serve_webhook(args):
    pages = page_paths(args.out, 200, 2)
    bodies = [json.dumps({"tags": ["page:bench" + page.rstrip("/")[len("/bench"):]]}) for page in pages]
    signatures = ["sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
                  for body in bodies]
    script = WEBHOOK_SCRIPT.format(bodies=lua_list(bodies), signatures=lua_list(signatures))
    port = free_port()
    isrgen = start_isrgen(args, port)
    runs = []
    try:
        for run in range(args.runs):
            result = checked(run_wrk(f"http://127.0.0.1:{port}", script, args, args.work), "isrgen webhooks")
            runs.append(result)
            log(f"serve_webhook run {run + 1}/{args.runs}: {result['requests_per_s']:.0f} accepted/s, "
                f"p99 {result['p99_ms']} ms")
    finally:
        stop(isrgen)
    summary = {"isrgen": {"requests_per_s": median_of(runs, "requests_per_s"), "p99_ms": median_of(runs, "p99_ms"),
                          "runs": runs}}
    row = summary["isrgen"]
    summary["target"] = dict(WEBHOOK_TARGET, met=row["requests_per_s"] > WEBHOOK_TARGET["min_requests_per_s"]
                             and row["p99_ms"] < WEBHOOK_TARGET["max_p99_ms"])
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["serve_static", "serve_webhook"])
    parser.add_argument("--isrgen", required=True)
    parser.add_argument("--site", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int,
                        help="wrk connections (default: 64 for serve_static, 16 for serve_webhook)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--result", required=True)
    args = parser.parse_args()
    if args.connections is None:
        args.connections = 64 if args.scenario == "serve_static" else 16
    args.work = tempfile.mkdtemp(prefix=args.scenario + ".", dir=args.work)
    summary = serve_static(args) if args.scenario == "serve_static" else serve_webhook(args)
    Path(args.result).write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
