#!/usr/bin/env python3
"""Writes the image benchmark: N photos and two sites that publish them.

Usage: genimages.py --photos N --seed S --out DIR [--width W] [--height H]

DIR/photos/p<k>.jpg are N distinct photographs' worth of pixels, W x H
(default 2400 x 1600), made with libvips' command line (`vips`): colour from
Perlin noise at three scales, detail from Gaussian noise, saved as JPEG at
quality 90 (about 1 MB each), so that decoding and resizing cost what a
camera's JPEG costs. Every photo is different (its own seed), since both
tools would spot the same bytes twice.

DIR/images-isrgen is an isrgen site of one tenant, `bench`, whose pages show 10
photos each as Markdown images (`![..](/photos/p<k>.jpg)`), with
[images] widths = WIDTHS and formats = ["webp"] at QUALITY: isrgen writes each
photo at every width as WebP and as JPEG (the fallback).

DIR/images-hugo is its Hugo twin: the same photos under assets/photos/, the
same pages, and a layout that asks `.Resize "<w>x webp q<QUALITY>"` and
`.Resize "<w>x jpg q<QUALITY>"` of each photo at each width: the same
encodes as isrgen's, with Hugo's default (and fastest) resampling filter, box;
isrgen's libvips reduces with lanczos3, which costs more per pixel. Both sites
link the photos (hard links), never copy them.
"""

import argparse
import os
import random
import shutil
import subprocess
from pathlib import Path

WIDTHS = [320, 640, 960, 1280]
QUALITY = 80
PER_PAGE = 10


def vips(*args):
    subprocess.run(["vips", *map(str, args)], check=True)


def make_photo(path, width, height, seed, scratch):
    """One photo's worth of pixels at `path`, from `seed`."""
    rng = random.Random(seed)
    bands = []
    for band in range(3):
        noise = scratch / f"perlin{band}.v"
        vips("perlin", noise, width, height, "--cell-size", rng.choice([90, 160, 260, 420]),
             "--seed", rng.randrange(1 << 30))
        scaled = scratch / f"band{band}.v"
        vips("linear", noise, scaled, rng.uniform(80, 140), rng.uniform(70, 180), "--uchar")
        bands.append(str(scaled))
    joined = scratch / "rgb.v"
    vips("bandjoin", " ".join(bands), joined)
    grain = scratch / "grain.v"
    vips("gaussnoise", grain, width, height, "--sigma", 14, "--mean", 0, "--seed", rng.randrange(1 << 30))
    grainy = scratch / "grainy.v"
    vips("add", joined, grain, grainy)
    clipped = scratch / "clipped.v"
    vips("cast", grainy, clipped, "uchar")
    srgb = scratch / "srgb.v"
    vips("copy", clipped, srgb, "--interpretation", "srgb")
    vips("jpegsave", srgb, path, "--Q", 90, "--strip")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def link(source, destination):
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, destination)


def pages_of(photos):
    return [list(range(start, min(start + PER_PAGE, photos))) for start in range(0, photos, PER_PAGE)]


def photo_name(k):
    return f"p{k + 1:04d}.jpg"


def isrgen_site(out, photos, pages):
    site = out / "images-isrgen"
    widths = ", ".join(map(str, WIDTHS))
    write(site / "content/site.toml", f"""[site]
default_language = "en"
languages = ["en"]

[tenants.bench]
name = "Image bench"
base_url = "https://bench.example"

[images]
widths = [{widths}]
formats = ["webp"]
quality = {QUALITY}
""")
    write(site / "templates/layouts/page.mustache",
          "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{page.title}}</title></head>\n"
          "<body>{{{content}}}</body></html>\n")
    for number, shown in enumerate(pages, 1):
        body = "\n\n".join(f"![Photo {k + 1}](/photos/{photo_name(k)})" for k in shown)
        write(site / f"content/pages/bench/g{number}.md", f"---\ntitle: Gallery {number}\n---\n{body}\n")
    for k in range(photos):
        link(out / "photos" / photo_name(k), site / "static/bench/photos" / photo_name(k))


def hugo_site(out, photos, pages):
    site = out / "images-hugo"
    write(site / "config.toml", """baseURL = "https://bench.example/"
title = "Image bench"
disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
resampleFilter = "box"
""")
    widths = " ".join(map(str, WIDTHS))
    write(site / "layouts/_default/single.html", f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{{{ .Title }}}}</title></head>
<body>{{{{ range .Params.photos }}}}{{{{ $photo := resources.Get (printf "photos/%s" .) }}}}<picture>
{{{{ range slice {widths} }}}}{{{{ $webp := $photo.Resize (printf "%dx webp q{QUALITY}" .) }}}}{{{{ $jpg := $photo.Resize (printf "%dx jpg q{QUALITY}" .) }}}}<source srcset="{{{{ $webp.RelPermalink }}}} {{{{ . }}}}w"><img src="{{{{ $jpg.RelPermalink }}}}" width="{{{{ $jpg.Width }}}}" height="{{{{ $jpg.Height }}}}">
{{{{ end }}}}</picture>{{{{ end }}}}</body></html>
""")
    for number, shown in enumerate(pages, 1):
        listed = ", ".join(f'"{photo_name(k)}"' for k in shown)
        write(site / f"content/g{number}.md", f"---\ntitle: Gallery {number}\nphotos: [{listed}]\n---\n")
    for k in range(photos):
        link(out / "photos" / photo_name(k), site / "assets/photos" / photo_name(k))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--width", type=int, default=2400)
    parser.add_argument("--height", type=int, default=1600)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    scratch = args.out / "photos.scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    (args.out / "photos").mkdir(parents=True, exist_ok=True)
    for k in range(args.photos):
        make_photo(args.out / "photos" / photo_name(k), args.width, args.height, args.seed * 100_003 + k, scratch)
    shutil.rmtree(scratch)
    pages = pages_of(args.photos)
    isrgen_site(args.out, args.photos, pages)
    hugo_site(args.out, args.photos, pages)
    print(f"{args.photos} photos of {args.width}x{args.height} in {len(pages)} pages; "
          f"{len(WIDTHS) * 2} encodes each ({len(WIDTHS)} widths, WebP and JPEG)")


if __name__ == "__main__":
    main()
