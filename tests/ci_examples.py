#!/usr/bin/env python3
"""Reads a CI example (examples/*.yml) as its CI would (PyYAML) and prints, as
JSON, the isrgen command lines of its steps and the ISRGEN_STATE it sets:
{"state": "s3://...", "commands": ["build/isrgen build --site . ...", ...]}.
Exits non-zero when the file is not YAML."""
import json
import sys

import yaml


def walk(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "ISRGEN_STATE":
                found["state"] = value
            walk(value, found)
    elif isinstance(node, list):
        for item in node:
            walk(item, found)
    elif isinstance(node, str):
        found["commands"] += [line.strip() for line in node.splitlines() if line.strip().startswith("build/isrgen ")]


with open(sys.argv[1], encoding="utf-8") as example:
    document = yaml.safe_load(example)
found = {"state": "", "commands": []}
walk(document, found)
print(json.dumps(found))
