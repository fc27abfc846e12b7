"""Validate SBOM documents with the official validators.

Usage: python3 validate.py FILE...   (*.cdx.json: CycloneDX 1.6, *.spdx.json: SPDX 2.3)

Exit status: 0 all valid, 1 some document is invalid (the problems are printed), 3 the
validators are not installed (`.ci/deps/output.sh` installs them).
"""

import sys

try:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"validators missing: {e}", file=sys.stderr)
    sys.exit(3)


def check_cyclonedx(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    err = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return [] if err is None else [str(err)]


def check_spdx(path):
    try:
        doc = parse_file(path)
    except Exception as e:  # the parser raises on structural problems
        return [f"parse error: {e}"]
    return [m.validation_message for m in validate_full_spdx_document(doc, "SPDX-2.3")]


def main(paths):
    bad = 0
    for path in paths:
        if path.endswith(".cdx.json"):
            problems = check_cyclonedx(path)
        elif path.endswith(".spdx.json"):
            problems = check_spdx(path)
        else:
            problems = ["unknown document type (expected .cdx.json or .spdx.json)"]
        status = "ok" if not problems else "INVALID"
        print(f"{status}: {path}")
        for p in problems[:20]:
            print(f"  - {p[:600]}")
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
