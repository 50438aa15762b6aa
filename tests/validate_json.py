#!/usr/bin/python3
"""Validates isrgen's --json reports against the JSON Schemas of docs/schemas/.

Usage: validate_json.py SCHEMA_DIR SCHEMA_FILE REPORT_FILE...
Each REPORT_FILE holds one or more JSON documents, one after the other (the
pretty-printed documents of `inspect page`, the lines of `watch --json`); every
one must match SCHEMA_FILE. Schemas refer to each other by file name.

Usage: validate_json.py SCHEMA_DIR --check-schemas
Checks that every schema is a valid draft 2020-12 schema, that every property
it names has a description, and that every object it describes is closed
(additionalProperties or unevaluatedProperties false), so that a field a
report gains without documentation fails validation.

Exit status 0 when everything holds, 1 otherwise (each problem on stderr).
"""
import json
import pathlib
import sys

import jsonschema


def load_schemas(folder):
    return {path.name: json.loads(path.read_text()) for path in sorted(pathlib.Path(folder).glob("*.schema.json"))}


def validator_for(folder, name, schemas):
    """A validator resolving references between the schemas of `folder` by file name."""
    base = pathlib.Path(folder).resolve().as_uri() + "/"
    try:  # jsonschema >= 4.18 resolves references with the referencing library
        import referencing
        import referencing.jsonschema

        resources = [(base + file, referencing.jsonschema.DRAFT202012.create_resource(schema))
                     for file, schema in schemas.items()]
        registry = referencing.Registry().with_resources(resources)
        schema = dict(schemas[name], **{"$id": base + name})
        return jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:  # Debian 12's jsonschema 4.10
        store = {base + file: schema for file, schema in schemas.items()}
        resolver = jsonschema.RefResolver(base_uri=base + name, referrer=schemas[name], store=store)
        return jsonschema.Draft202012Validator(schemas[name], resolver=resolver)


def documents(text):
    decoder = json.JSONDecoder()
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return
        document, at = decoder.raw_decode(text, at)
        yield document


def check_schema_text(name, schema, problems):
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(node, where):
        if isinstance(node, dict):
            for field, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    problems.append(f"{name}: {where}/properties/{field} has no description")
            # A definition (#/$defs/x) is closed where it is used, with unevaluatedProperties.
            if node.get("type") == "object" and node.get("additionalProperties") is not False \
                    and node.get("unevaluatedProperties") is not False and not where.startswith("#/$defs/"):
                problems.append(f"{name}: {where} is an object open to undocumented fields")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{where}/{index}")

    walk(schema, "#")


def main(argv):
    if len(argv) == 3 and argv[2] == "--check-schemas":
        problems = []
        schemas = load_schemas(argv[1])
        if not schemas:
            problems.append(f"{argv[1]}: no *.schema.json")
        for name, schema in schemas.items():
            check_schema_text(name, schema, problems)
    elif len(argv) >= 4:
        schemas = load_schemas(argv[1])
        validator = validator_for(argv[1], argv[2], schemas)
        problems = []
        for report in argv[3:]:
            try:
                found = list(documents(pathlib.Path(report).read_text()))
            except json.JSONDecodeError as error:
                problems.append(f"{report}: not JSON: {error}")
                continue
            if not found:
                problems.append(f"{report}: no JSON document")
            for number, document in enumerate(found, 1):
                for error in validator.iter_errors(document):
                    where = "/".join(str(part) for part in error.absolute_path)
                    problems.append(f"{report}: document {number}, at /{where}: {error.message}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
