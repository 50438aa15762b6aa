#!/usr/bin/env python3
"""Writes the benchmark sites: an isrgen site and its Hugo twin, from a seed.

Usage: gensite.py --pages N --seed S --out DIR
Writes DIR/isrgen (content/, templates/), DIR/hugo (config.toml, layouts/,
data/, content/) and DIR/hugo-cached, the same Hugo site whose pages render
their record lists with partialCached (hugo-cached-site/ holds the one layout
that differs). All get the same records and the same page files, byte for
byte; only the templates differ, each written for its own engine (the
skeletons beside this file). The same seed and page count always give the
same bytes, and page k depends only on the seed, k and the page count, so a
scenario can rewrite one page or one record with the functions below
(edit.py does, for scripts/bench's incremental scenarios).

Values are chosen so that both engines must agree on what a page shows:
ratings are unique and never whole numbers (Go prints 4.0 as "4"), job titles
sort the same bytewise and under Hugo's collation, and no text holds
characters that either engine escapes or typesets differently.

Where the two sites differ, and so the work each tool does:
- Templates: Mustache with inheritance for isrgen, Go html/template for Hugo
  (baseof.html + block "main"), which escapes by HTML context. A page's
  components are dispatched by type in both; in Hugo the filter, sort and
  limit of a component run in the template (partials/query.html, the
  generic where/sort/first of each component), in isrgen in its query code.
  isrgen renders a component once for all pages on which it has the same
  type, id, config and records; hugo/ renders it on every page (plain
  `partial`), hugo-cached/ once per distinct component (`partialCached`
  keyed on the whole component, which also spares it the query).
- Markdown: cmark-gfm for isrgen, Goldmark for Hugo, set up to match (no
  heading ids, no typographer). Their pages come out byte for byte the same,
  which scripts/bench checks (compare.py).
- Paths and URLs: isrgen reads content/pages/bench/ and writes
  out/bench/p<k>/index.html; Hugo reads content/ and writes
  public/p<k>/index.html. The canonical link prints isrgen's page.url and
  Hugo's .RelPermalink ("/p<k>/"); the tenant name comes from [tenants.bench]
  in isrgen and from the site title in Hugo.
- Extra output: isrgen also writes index.metadata.json beside each page and
  its dependency index (.isrgen/state.db); Hugo writes neither. Hugo renders
  no home or list pages (disableKinds), and the isrgen site has no index page.
- CPUs: --jobs limits isrgen only; Hugo uses every CPU.
"""

import argparse
import json
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

MODEL_COUNT = 500
JOB_COUNT = 200
# The choices page_queries draws from (sorts repeat to weigh the draw).
SHOWCASE_IN_CITY = 0.3  # the share of showcases that also filter on the city
SHOWCASE_SORTS = ["-rating", "-rating", "-rating", "rating"]
SHOWCASE_LIMITS = [4, 6, 8]
JOB_SORTS = ["title", "-title"]
JOB_LIMITS = [3, 5, 8]

CATEGORIES = ["fashion", "fitness", "commercial", "editorial",
              "runway", "lifestyle", "beauty", "sports"]
CITIES = ["Berlin", "Paris", "Milan", "London", "Madrid",
          "Lisbon", "Vienna", "Prague", "Warsaw", "Amsterdam"]
MODEL_TAGS = ["tall", "tattoos", "athletic", "dancer", "swimwear",
              "hands", "print", "video", "bilingual", "driver"]
FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dario", "Elin", "Farah", "Gus", "Hana",
               "Ivo", "Jana", "Kofi", "Lea", "Malik", "Nora", "Otto", "Pia",
               "Rafa", "Sina", "Tomas", "Uma", "Vera", "Wim", "Yara", "Zeno"]
LAST_NAMES = ["Adler", "Brandt", "Costa", "Dumont", "Eriksen", "Fischer",
              "Garcia", "Horvath", "Ivanova", "Jansen", "Keller", "Lindqvist",
              "Moreau", "Novak", "Olsen", "Peters", "Rossi", "Schmidt",
              "Torres", "Weber"]
# Single words, none a prefix of another, so "<Role> <NNN>" titles sort the
# same bytewise and under a collator.
ROLES = ["Photographer", "Stylist", "Promoter", "Dancer", "Presenter",
         "Extra", "Model", "Host", "Usher", "Makeup"]
JOB_TYPES = ["freelance", "contract", "parttime", "fulltime"]
PRIORITIES = ["high", "medium", "low"]
SEASONS = ["Spring", "Summer", "Autumn", "Winter"]
CAMPAIGNS = ["Casting Call", "Open Call", "Talent Search", "Campaign",
             "Showcase", "Lookbook"]
WORDS = """agency audition brand brief budget camera campaign casting city
client colour contract crew day designer editorial event face fashion fitting
frame gallery hair light location look makeup market model motion night offer
outfit photo pitch portfolio poster print producer profile runway scene season
set shoot show stage studio style summer team test travel video wardrobe week
work open fresh bold local clear bright calm early late quick steady strong
warm new great simple honest direct modern classic natural urban""".split()


def models(seed):
    """The records of the models source: 500 models, unique ratings."""
    rng = random.Random(f"{seed}:models")
    ratings = rng.sample([v for v in range(1001, 5000) if v % 1000], MODEL_COUNT)
    return [{"id": i,
             "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
             "category": rng.choice(CATEGORIES),
             "city": rng.choice(CITIES),
             "rating": ratings[i - 1] / 1000,
             "tags": sorted(rng.sample(MODEL_TAGS, rng.randint(1, 3)))}
            for i in range(1, MODEL_COUNT + 1)]


def jobs(seed):
    """The records of the jobs source: 200 jobs, unique titles."""
    rng = random.Random(f"{seed}:jobs")
    return [{"id": i,
             "title": f"{rng.choice(ROLES)} {i:03d}",
             "city": rng.choice(CITIES),
             "rate": rng.randrange(150, 900, 10),
             "type": rng.choice(JOB_TYPES)}
            for i in range(1, JOB_COUNT + 1)]


def sentence(rng):
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def styled_paragraph(rng, pages):
    """A paragraph with the inline Markdown a promo page uses."""
    a, b, c = rng.sample(WORDS, 3)
    other = rng.randint(1, pages)
    return (f"{paragraph(rng, 2)} Bring *{a}* and **{b}** to the set, and "
            f"quote the code `{c}-{other}` when you write. "
            f"See also [page {other}](/p{other}/). {paragraph(rng, 2)}")


def table(rng, rows):
    lines = ["| Role | City | Day rate | Days |", "|---|---|---|---|"]
    for _ in range(rows):
        lines.append(f"| {rng.choice(ROLES)} | {rng.choice(CITIES)} | "
                     f"{rng.randrange(150, 900, 10)} EUR | {rng.randint(1, 10)} |")
    return "\n".join(lines)


def bullet_list(rng, items):
    return "\n".join(f"- {sentence(rng)}" for _ in range(items))


def page_start(seed, k):
    """Page k's random stream after its first draws, and those draws: its
    title, its hero's headline, and its showcase and job list (page_queries)."""
    rng = random.Random(f"{seed}:page:{k}")
    title = f"{rng.choice(SEASONS)} {rng.choice(CAMPAIGNS)} {k}"
    categories = rng.sample(CATEGORIES, rng.randint(1, 2))
    city = rng.choice(CITIES)
    headline = f"Join the {categories[0]} team in {city}"
    return (rng, title, headline, *page_queries(rng, categories, city))


def page_queries(rng, categories, city):
    """A page's showcase and job list: filter, sort, limit and heading. Pages
    combine filters, sorts and limits as an agency's campaigns do, so that
    10,000 pages show about 1,900 distinct showcases and 230 distinct job
    lists: components repeat across pages, as they do on a real site, but a
    memo of their HTML cannot reduce the site to a hundred renders. Only sort
    fields whose values are unique (rating, title), so that ties, which each
    engine may break its own way, never decide an order."""
    models_filter = {"category": categories}
    heading = f"Our {' and '.join(categories)} faces"
    if rng.random() < SHOWCASE_IN_CITY:
        models_filter["city"] = city
        heading += f" in {city}"
    showcase = {"filter": models_filter, "sort": rng.choice(SHOWCASE_SORTS),
                "limit": rng.choice(SHOWCASE_LIMITS), "heading": heading}
    job_type = rng.choice([None, *JOB_TYPES])
    jobs_filter = {"city": city}
    if job_type:
        jobs_filter["type"] = job_type
    job_list = {"filter": jobs_filter, "sort": rng.choice(JOB_SORTS),
                "limit": rng.choice(JOB_LIMITS),
                "heading": f"Open {job_type + ' ' if job_type else ''}roles in {city}"}
    return showcase, job_list


def select(records, query):
    """The records a component with query (page_queries) lists, as both
    engines select them: every filter field equal to the value or to any of
    the listed values, sorted ("-" for descending), the first limit kept."""
    def matches(record):
        return all(record[field] in (want if isinstance(want, list) else [want])
                   for field, want in query["filter"].items())
    field = query["sort"].lstrip("-")
    listed = sorted(filter(matches, records), key=lambda record: record[field],
                    reverse=query["sort"].startswith("-"))
    return listed[:query["limit"]]


def flow(filter_):
    """A filter as a YAML flow mapping, lists in brackets."""
    return "{" + ", ".join(f"{field}: [{', '.join(want)}]" if isinstance(want, list)
                           else f"{field}: {want}" for field, want in filter_.items()) + "}"


def page_text(seed, k, pages):
    """The file content/.../p<k>.md: YAML front matter and ~3 KB of Markdown."""
    rng, title, headline, showcase, job_list = page_start(seed, k)
    front = f"""---
title: "{title}"
priority: {rng.choice(PRIORITIES)}
sections:
  - id: hero
    components:
      - id: hero
        type: HERO_BANNER
        config: {{headline: "{headline}", cta_label: "Apply now", cta_url: "/apply/p{k}/"}}
  - id: talent
    components:
      - id: models
        type: MODEL_SHOWCASE
        source: models
        filter: {flow(showcase['filter'])}
        sort: "{showcase['sort']}"
        limit: {showcase['limit']}
        config: {{heading: "{showcase['heading']}"}}
  - id: openings
    components:
      - id: jobs
        type: JOB_LISTINGS
        source: jobs
        filter: {flow(job_list['filter'])}
        sort: "{job_list['sort']}"
        limit: {job_list['limit']}
        config: {{heading: "{job_list['heading']}"}}
---
"""
    body = [f"## {title}", paragraph(rng, 5), styled_paragraph(rng, pages),
            "### The shoot", paragraph(rng, 5),
            "### Rates", table(rng, 5), paragraph(rng, 4),
            "### What to bring", bullet_list(rng, 5), paragraph(rng, 5)]
    return front + "\n\n".join(body) + "\n"


def write_json(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, indent=1) + "\n")


def generate(out, seed, pages):
    isrgen, hugos = out / "isrgen", [out / "hugo", out / "hugo-cached"]
    shutil.copytree(HERE / "isrgen-site", isrgen)
    for hugo in hugos:
        shutil.copytree(HERE / "hugo-site", hugo)
    shutil.copytree(HERE / "hugo-cached-site", hugos[1], dirs_exist_ok=True)
    data_dirs = [isrgen / "content" / "data", *(hugo / "data" for hugo in hugos)]
    for name, records in (("models", models(seed)), ("jobs", jobs(seed))):
        for data in data_dirs:
            write_json(data / f"{name}.json", records)
    page_dirs = [isrgen / "content" / "pages" / "bench", *(hugo / "content" for hugo in hugos)]
    for folder in page_dirs:
        folder.mkdir(parents=True)
    for k in range(1, pages + 1):
        text = page_text(seed, k, pages)
        for folder in page_dirs:
            (folder / f"p{k}.md").write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.out, args.seed, args.pages)


if __name__ == "__main__":
    main()
