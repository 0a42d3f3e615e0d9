#!/usr/bin/env python3
"""Compares freshly generated conformance vectors with the committed ones (make check-vectors).

The vectors must be the same on every machine. Everything is compared exactly — the set of files and
cases, names, calls, inputs, options, error codes, integers, strings — except the floating-point numbers
under a case's "expected", which are compared within REL·|x| + ABS: a reference computed through LAPACK,
BLAS or libm may differ between CPUs in its last bits, and the generator writes them to 12 significant
digits. REL and ABS sit a hundred times below the tightest tolerance any language's test applies
(1e-9), so a difference they let through cannot change a test's verdict.

Run: python conformance/check.py COMMITTED_DIR GENERATED_DIR [LABEL]
"""

import json
import sys
from pathlib import Path

REL, ABS = 1e-11, 1e-11


def compare(path, a, b, inexact, failures, counts):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            failures.append(f"{path}: keys {list(a)} != {list(b)}")
            return
        for k in a:
            compare(f"{path}.{k}", a[k], b[k], inexact or k == "expected", failures, counts)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            failures.append(f"{path}: length {len(a)} != {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare(f"{path}[{i}]", x, y, inexact, failures, counts)
    elif inexact and isinstance(a, float) and isinstance(b, float):
        if a != b:
            counts["last_digits"] += 1
            if abs(a - b) > REL * max(abs(a), abs(b)) + ABS:
                failures.append(f"{path}: {a!r} != {b!r}")
    elif type(a) is not type(b) or a != b:
        failures.append(f"{path}: {a!r} != {b!r}")


# keyness_scattertext.json: conformance/scattertext_reference.py in scattertext's venv (make scattertext-vectors).
ELSEWHERE = {"keyness_scattertext.json"}


def main():
    committed, generated = Path(sys.argv[1]), Path(sys.argv[2])
    label = sys.argv[3] if len(sys.argv) > 3 else str(generated)
    # Vectors another script writes in its own venv: generate.py leaves them alone, so this check does too.
    names = sorted(p.name for p in committed.glob("*.json") if p.name not in ELSEWHERE)
    fresh = sorted(p.name for p in generated.glob("*.json"))
    failures, counts = [], {"last_digits": 0}
    if names != fresh:
        failures.append(f"files differ: committed {names}, generated {fresh}")
    for name in sorted(set(names) & set(fresh)):
        a = json.loads((committed / name).read_text())
        b = json.loads((generated / name).read_text())
        compare(name, a, b, False, failures, counts)
    if failures:
        print(f"conformance vectors ({label}) differ from the committed ones:")
        print("\n".join(failures[:40]) + (f"\n… and {len(failures) - 40} more" if len(failures) > 40 else ""))
        print("Run `make vectors` and review the diff if the generator changed on purpose.")
        sys.exit(1)
    print(f"conformance vectors ({label}): identical to the committed ones "
          f"({counts['last_digits']} expected values differ only below {REL:g} relative); "
          f"not compared, written by their own script: {', '.join(sorted(ELSEWHERE))}")


if __name__ == "__main__":
    main()
