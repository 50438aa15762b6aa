#!/usr/bin/env python3
"""Checks that the benchmark's tools built the same site, and how varied it is.

Usage: compare.py ISRGEN_PAGES OTHER_PAGES...
ISRGEN_PAGES is the folder of isrgen's pages (out/bench), each OTHER_PAGES a
Hugo twin's public/ folder or the floor's copy of isrgen's pages; each holds
p<k>/index.html for every page. Every page must be the same bytes in all of
them (gensite.py makes the sites so that they are), or the tools did different
work and their times do not compare.
Prints how many distinct showcases and job lists isrgen's pages show: the
renders that a memo of component HTML (isrgen's, or Hugo's partialCached)
cannot avoid. Exits 1 naming the first page that differs.
"""

import argparse
import re
import sys
from pathlib import Path

# A component's HTML as the templates write it: <div class="models"> for
# MODEL_SHOWCASE, <div class="jobs"> for JOB_LISTINGS (no nested divs).
COMPONENT = re.compile(rb'<div class="(models|jobs)">.*?</div>', re.S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("isrgen", type=Path)
    parser.add_argument("hugo", type=Path, nargs="*")
    args = parser.parse_args()
    pages = sorted(path.parent.name for path in args.isrgen.glob("*/index.html"))
    distinct = {b"models": set(), b"jobs": set()}
    for page in pages:
        html = (args.isrgen / page / "index.html").read_bytes()
        for hugo in args.hugo:
            other = hugo / page / "index.html"
            if not other.is_file() or other.read_bytes() != html:
                sys.exit(f"bench: {other} is not the same as {args.isrgen / page / 'index.html'} "
                         f"(diff them: the sites must render the same pages)")
        for found in COMPONENT.finditer(html):
            distinct[found.group(1)].add(found.group(0))
    print(f"{len(pages)} pages the same in {1 + len(args.hugo)} outputs; "
          f"{len(distinct[b'models'])} distinct showcases, {len(distinct[b'jobs'])} distinct job lists")


if __name__ == "__main__":
    main()
