#!/usr/bin/env python3
"""Reads a CI example (examples/*.yml) as its CI would (PyYAML) and prints, as
JSON, the isrgen command lines of its steps and the ISRGEN_STATE it sets:
{"state": "s3://...", "commands": ["isrgen build --site . ...", ...]} (the
lines that run isrgen on the site; `isrgen --version` checks the install), and
whether it builds the package with scripts/package and installs it with apt.
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
        if "scripts/package" in node:
            found["packages"] = True
        if "apt-get install -y" in node and "isrgen.deb" in node:
            found["installs"] = True
        for line in node.splitlines():
            for command in line.split("&&"):
                command = command.strip()
                if command.startswith("isrgen ") and command != "isrgen --version":
                    found["commands"].append(command)


with open(sys.argv[1], encoding="utf-8") as example:
    document = yaml.safe_load(example)
found = {"state": "", "commands": [], "packages": False, "installs": False}
walk(document, found)
print(json.dumps({"state": found["state"], "commands": found["commands"],
                  "installs_package": found["packages"] and found["installs"]}))
