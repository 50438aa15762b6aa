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
               background while wrk keeps sending, as in production. Targets:
               at least 5000 accepted requests per second, and p99 under
               10 ms. Then, once the server is idle, a burst: 10,000 signed
               webhooks, each naming 3 neighbouring tags of a ring of 100 page
               tags (so every tag is named by 300 of them), sent as fast as
               the server takes them on 32 connections, 8 pipelined on each. Once it is idle again,
               the builds it ran meanwhile (isrgen_builds_total of /metrics,
               before and after) must be at most 5, and every tag named must
               be rendered: every job answered 202 is `done`, and the build
               that ran it (`report.build.rendered` of GET /jobs/<id>)
               rendered the page of each tag it named.
Each run gives requests/s and latency percentiles (wrk --latency); the
result file holds every run and the medians, and the burst's figures.
"""

import argparse
import asyncio
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
WEBHOOK_TARGET = {"min_requests_per_s": 5000, "max_p99_ms": 10.0}
# A burst of this many webhooks, each naming BURST_TAGS_EACH neighbouring tags
# of a ring of BURST_TAG_RING page tags, becomes at most this many builds.
BURST_TARGET = {"webhooks": 10000, "max_builds": 5}
BURST_TAG_RING = 100
BURST_TAGS_EACH = 3
BURST_CONNECTIONS = 32
# How long the server may take to finish its queue before the bench gives up:
# a bound for a stuck server, not a wait.
IDLE_LIMIT_S = 300


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


def page_tag(path):
    """The page tag of a URL path: "/bench/p12/" -> "page:bench/p12"."""
    return "page:" + path.strip("/")


def signature(body):
    return "sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()


async def read_answer(reader):
    """One answer on a keep-alive connection: its status and body."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return int(status_line.split()[1]), await reader.readexactly(length)


async def exchange_all(port, requests, connections, pipelined=8):
    """Sends the raw requests on `connections` keep-alive connections, each
    writing the next `pipelined` at once and reading their answers before
    taking more: Python then costs the server little of the shared CPUs, so
    the server, not the sender, sets the pace. The (status, body) answers in
    the order of the requests."""
    answers = [None] * len(requests)
    next_index = iter(range(len(requests)))

    async def connection():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while batch := [index for _, index in zip(range(pipelined), next_index)]:
                writer.write(b"".join(requests[index] for index in batch))
                for index in batch:
                    answers[index] = await read_answer(reader)
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(min(connections, len(requests)))))
    return answers


def http_request(method, path, body="", headers=()):
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body.encode())}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()


def get_json(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        return json.load(answer)


def metric(port, name):
    """The value of an unlabelled series of GET /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    sys.exit(f"bench: GET /metrics has no {name}")


def wait_until_idle(port):
    """Polls /healthz until no job is queued or running (a benchmark may wait)."""
    deadline = time.monotonic() + IDLE_LIMIT_S
    while time.monotonic() < deadline:
        health = get_json(port, "/healthz")
        if health["queued"] == 0 and health["running"] == 0:
            return
        time.sleep(0.05)
    sys.exit(f"bench: isrgen serve still had jobs queued or running after {IDLE_LIMIT_S} s")


def burst(args, port):
    """Sends the burst to an idle server, waits until it is idle again, and
    counts the builds it cost and the named tags whose pages were rendered."""
    ring = [page_tag(path) for path in page_paths(args.out, BURST_TAG_RING, 3)]
    named = [[ring[(i + k) % len(ring)] for k in range(BURST_TAGS_EACH)] for i in range(BURST_TARGET["webhooks"])]
    requests = []
    for tags in named:
        body = json.dumps({"tags": tags})
        requests.append(http_request("POST", "/revalidate", body, [
            "Content-Type: application/json", f"X-Hub-Signature-256: {signature(body)}"]))
    wait_until_idle(port)
    builds_before = metric(port, "isrgen_builds_total")
    start = time.monotonic()
    answers = asyncio.run(exchange_all(port, requests, BURST_CONNECTIONS))
    seconds = time.monotonic() - start
    wait_until_idle(port)
    builds = int(metric(port, "isrgen_builds_total") - builds_before)

    accepted = [(json.loads(body)["job"], tags) for (status, body), tags in zip(answers, named) if status == 202]
    job_paths = [f"/jobs/{job}" for job, _ in accepted]
    reports = asyncio.run(exchange_all(port, [http_request("GET", path) for path in job_paths], BURST_CONNECTIONS))
    # A tag counts as rendered when every job naming it is done and its build
    # rendered the tag's page: one job whose build left it out is a lost tag.
    missed, not_done, batches = set(), 0, set()
    for (job, tags), (status, body) in zip(accepted, reports):
        report = json.loads(body) if status == 200 else {}
        if report.get("status") != "done":
            not_done += 1
            missed.update(tags)
            continue
        build = report["report"]["build"]
        batches.add((report["started_at"], build["stats"]["duration_ms"], build["stats"]["rendered"]))
        rendered = {"page:" + entry["page"] for entry in build["rendered"]}
        missed.update(tag for tag in tags if tag not in rendered)
    named_tags = {tag for tags in named for tag in tags}
    result = {"webhooks": len(requests), "accepted": len(accepted), "seconds": round(seconds, 3),
              "accepted_per_s": round(len(accepted) / seconds) if seconds > 0 else None,
              "builds": builds, "job_batches": len(batches), "jobs_not_done": not_done,
              "tags_named": len(named_tags), "tags_rendered": len(named_tags - missed)}
    result["target"] = dict(BURST_TARGET, builds_met=builds <= BURST_TARGET["max_builds"],
                            all_rendered_met=result["accepted"] == result["webhooks"] and not missed)
    log(f"serve_webhook burst: {result['accepted']} of {result['webhooks']} webhooks accepted in "
        f"{result['seconds']} s, {builds} builds, {result['tags_rendered']} of {result['tags_named']} tags rendered")
    return result


def serve_webhook(args):
    pages = page_paths(args.out, 200, 2)
    bodies = [json.dumps({"tags": [page_tag(page)]}) for page in pages]
    signatures = [signature(body) for body in bodies]
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
        burst_result = burst(args, port)
    finally:
        stop(isrgen)
    summary = {"isrgen": {"requests_per_s": median_of(runs, "requests_per_s"), "p50_ms": median_of(runs, "p50_ms"),
                          "p99_ms": median_of(runs, "p99_ms"), "runs": runs},
               "burst": burst_result}
    row = summary["isrgen"]
    rate_met = row["requests_per_s"] >= WEBHOOK_TARGET["min_requests_per_s"]
    p99_met = row["p99_ms"] < WEBHOOK_TARGET["max_p99_ms"]
    summary["target"] = dict(WEBHOOK_TARGET, requests_per_s_met=rate_met, p99_met=p99_met,
                             met=rate_met and p99_met and burst_result["target"]["builds_met"]
                             and burst_result["target"]["all_rendered_met"])
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
