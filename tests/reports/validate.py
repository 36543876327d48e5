#!/usr/bin/python3
"""validate.py SCHEMA FILE...: validate each JSON file against the JSON
Schema (draft 2020-12) with Debian's python3-jsonschema. Prints one line per
error ("FILE: PATH: MESSAGE") and exits 1 if there was any, 2 if the
validator itself is missing or the schema is not a valid schema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: python3-jsonschema is not installed "
          "(sh tools/deps.sh installs it)")
    sys.exit(2)

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
try:
    jsonschema.Draft202012Validator.check_schema(schema)
except jsonschema.exceptions.SchemaError as e:
    print(f"{sys.argv[1]}: not a valid schema: {e.message}")
    sys.exit(2)
validator = jsonschema.Draft202012Validator(schema)
errors = 0
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for e in validator.iter_errors(doc):
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: /{where}: {e.message[:300]}")
        errors += 1
print(f"validate.py: {len(sys.argv) - 2} file(s), {errors} error(s)")
sys.exit(1 if errors else 0)
