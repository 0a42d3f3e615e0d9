"""scripts/check-cross.sh's one allowance: two outputs that differ only in the last bits of some numbers.

Usage: ulps.py REF GOT MAX_ULPS. Exit 0 when the texts are identical once numbers are taken out, and every pair
of numbers is equal or within MAX_ULPS units in the last place; each differing pair is printed. Exit 1 otherwise.
"""

import math
import re
import sys

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def ulps(a: float, b: float) -> float:
    return abs(a - b) / math.ulp(max(abs(a), abs(b)))


def main() -> int:
    ref, got = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
    limit = float(sys.argv[3])
    if NUMBER.sub("#", ref) != NUMBER.sub("#", got):
        return 1
    worst = 0.0
    for r, g in zip(NUMBER.findall(ref), NUMBER.findall(got)):
        if r != g:
            d = ulps(float(r), float(g))
            print(f"    {r} vs {g}: {d:.0f} ulp")
            worst = max(worst, d)
    return 0 if worst <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
