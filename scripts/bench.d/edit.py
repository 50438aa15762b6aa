#!/usr/bin/env python3
"""Applies one round's edit of an incremental scenario to the isrgen site.

Usage: edit.py {page,record,template} --site DIR --seed S --pages N --round R
DIR is the isrgen site gensite.py wrote with seed S and N pages. Round R
works on page p<k>, k = R (wrapping past N), so that each round edits another
page or record than the round before. Prints `p<k> TEXT`: once the edit is
built, the HTML of p<k> must contain TEXT (scripts/bench checks it, so that
an edit the build missed cannot pass for a fast build).

Each edit is a real change to the site as it stands, also after earlier
rounds and scenarios (scripts/bench never regenerates the site between them):
- page: appends a paragraph naming the round to the body of p<k>.
- record: moves the rating of one model that p<k> lists by half a thousandth,
  up from the generated rating or back to it. Generated ratings are unique
  thousandths, so the model keeps its rank under every filter and only the
  pages listing it change (and no other field a page filters on changes).
  When p<k>'s showcase lists no one (its filter can match no model), the
  edit is of the next page that lists someone, and that page is printed.
- template: writes one of two words into the footer partial, which every page
  uses: the other word than the round before, so every round changes it.
"""

import argparse
import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ beside gensite.py in the checkout
import gensite  # noqa: E402 (after the line above)

PAGES = Path("content") / "pages" / "bench"
MODELS = Path("content") / "data" / "models.json"
FOOTER = Path("templates") / "partials" / "footer.mustache"
FOOTER_WORDS = ["Spring", "Autumn"]


def edit_page(site, seed, pages, k, round_):
    sentence = f"Edited in benchmark round {round_}."
    with (site / PAGES / f"p{k}.md").open("a") as page:
        page.write(f"\n{sentence}\n")
    return k, f"<p>{sentence}</p>"


def edit_record(site, seed, pages, k, round_):
    path = site / MODELS
    records = json.loads(path.read_text())
    for k in [*range(k, pages + 1), *range(1, k)]:
        listed = gensite.select(records, gensite.page_start(seed, k)[3])
        if listed:
            break
    else:
        sys.exit("edit.py: no page's showcase lists a model")
    model = listed[(round_ - 1) % len(listed)]
    generated = gensite.models(seed)[model["id"] - 1]["rating"]
    model["rating"] = round(generated + 0.0005, 4) if model["rating"] == generated else generated
    gensite.write_json(path, records)
    return k, f">{model['rating']}<"


def edit_template(site, seed, pages, k, round_):
    word = FOOTER_WORDS[round_ % 2]
    skeleton = (gensite.HERE / "isrgen-site" / FOOTER).read_text()
    (site / FOOTER).write_text(skeleton.replace("</footer>", f"<p>{word}</p></footer>"))
    return k, f"<p>{word}</p></footer>"


EDITS = {"page": edit_page, "record": edit_record, "template": edit_template}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=EDITS)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--round", type=int, required=True)
    args = parser.parse_args()
    k = (args.round - 1) % args.pages + 1
    k, text = EDITS[args.kind](args.site, args.seed, args.pages, k, args.round)
    print(f"p{k} {text}")


if __name__ == "__main__":
    main()
