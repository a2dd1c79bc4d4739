#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema, offline.

Usage: validate_json_schema.py SCHEMA FILE

Every *.json file next to SCHEMA is loaded and registered under its "$id", so that
relative "$ref"s between schemas of one folder (CycloneDX's bom-1.6 refers to
spdx.schema.json and jsf-0.82.schema.json) resolve without network access. Any
reference to a schema that is not there is an error, never a download.

Exit status: 0 when FILE is valid; 1 when it is not (each error is printed with its
JSON path); 2 on a usage or environment problem (missing file, bad JSON, no jsonschema).
Works with jsonschema 4.10 (Debian's python3-jsonschema, RefResolver) and with newer
releases (the `referencing` registry).
"""

import json
import os
import sys


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def sibling_schemas(schema_path):
    """Maps each "$id" of the *.json files in SCHEMA's folder to its document."""
    folder = os.path.dirname(os.path.abspath(schema_path))
    store = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        try:
            doc = load_json(os.path.join(folder, name))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and isinstance(doc.get("$id"), str):
            store[doc["$id"]] = doc
            store[doc["$id"].rstrip("#")] = doc
    return store


def make_validator(schema, store):
    import jsonschema  # noqa: PLC0415 (reported as exit status 2 when absent)

    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    format_checker = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    try:
        import referencing  # jsonschema >= 4.18
        import referencing.jsonschema
    except ImportError:
        referencing = None
    if referencing is not None:
        resources = []
        for uri, doc in store.items():
            spec = referencing.jsonschema.specification_with(
                doc.get("$schema", ""), default=referencing.jsonschema.DRAFT7)
            resources.append((uri, referencing.Resource(contents=doc, specification=spec)))

        def retrieve(uri):
            raise referencing.exceptions.NoSuchResource(ref=uri)

        registry = referencing.Registry(retrieve=retrieve).with_resources(resources)
        return cls(schema, registry=registry, format_checker=format_checker)
    resolver = jsonschema.RefResolver(
        base_uri=schema.get("$id", ""), referrer=schema, store=dict(store),
        handlers={"http": _refuse, "https": _refuse})
    return cls(schema, resolver=resolver, format_checker=format_checker)


def _refuse(uri):
    raise ValueError("schema %s is not in the local folder (no downloads)" % uri)


def main(argv):
    if len(argv) != 3:
        print("usage: validate_json_schema.py SCHEMA FILE", file=sys.stderr)
        return 2
    schema_path, file_path = argv[1], argv[2]
    try:
        schema = load_json(schema_path)
        document = load_json(file_path)
    except (OSError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    try:
        validator = make_validator(schema, sibling_schemas(schema_path))
    except ImportError as e:
        print("error: python jsonschema is not available: %s" % e, file=sys.stderr)
        return 2
    try:
        errors = sorted(validator.iter_errors(document),
                        key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Exception as e:  # an unresolvable $ref and the like: not a verdict on FILE
        print("error: cannot validate: %s" % e, file=sys.stderr)
        return 2
    if not errors:
        return 0
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print("%s: %s: %s" % (file_path, where, e.message))
        for sub in sorted(e.context or [], key=lambda s: s.message)[:5]:
            sub_where = "/".join(str(p) for p in sub.absolute_path) or "(root)"
            print("    %s: %s" % (sub_where, sub.message))
    print("%d error(s)" % len(errors), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
