#!/usr/bin/env python3
"""Where a .wasm's bytes go: each function's code size by its name (the `name` section; a build before
wasm-opt strips it), summed by crate and listed by function. A stand-in for `twiggy top` that needs
nothing installed. Usage: wasm-sizes.py FILE.wasm [--top N] [--tsv: each function's size and name, tab-separated]
"""
import re
import sys
from collections import Counter


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def name(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode("utf-8", "replace"), i + n


def limits(b, i):
    flag = b[i]
    _, i = leb(b, i + 1)
    if flag & 1:
        _, i = leb(b, i)
    return i


def demangle(s):
    """Rust's mangled names as a rough path: v0 (`_R…`) as its identifiers in order, joined by `::`
    (disambiguators, back-references and tags dropped); legacy (`_ZN…E`) as its path; others as they are."""
    if s.startswith("_R"):
        out, i, prev = [], 2, ""
        while i < len(s):
            c = s[i]
            if c.isdigit():
                j = i
                while j < len(s) and s[j].isdigit():
                    j += 1
                n = int(s[i:j])
                j += s[j:j + 1] == "_"
                out.append(s[j:j + n])
                i, prev = j + n, ""
            elif (c == "s" and prev in "CMXY") or c == "B":
                j = s.find("_", i)
                i, prev = (j + 1 if j >= 0 else len(s)), ""
            else:
                i, prev = i + 1, c
        return "::".join(out)
    m = re.match(r"_ZN(.*)E$", s)
    if not m:
        return s
    rest, parts = m.group(1), []
    while rest and rest[0].isdigit():
        n = int(re.match(r"\d+", rest).group())
        digits = len(str(n))
        parts.append(rest[digits:digits + n])
        rest = rest[digits + n:]
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    return "::".join(parts).replace("$LT$", "<").replace("$GT$", ">").replace("$u20$", " ").replace("..", "::")


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 40
    b = open(path, "rb").read()
    i, imported, bodies, names, data = 8, 0, [], {}, 0
    sections = Counter()
    while i < len(b):
        sid = b[i]
        size, i = leb(b, i + 1)
        end = i + size
        if sid == 0:
            title, j = name(b, i)
            sections[f"custom {title}"] += size
            if title == "name":
                while j < end:
                    sub, j = b[j], j + 1
                    sub_size, j = leb(b, j)
                    if sub == 1:
                        count, k = leb(b, j)
                        for _ in range(count):
                            idx, k = leb(b, k)
                            names[idx], k = name(b, k)
                    j += sub_size
        else:
            sections[{1: "type", 2: "import", 3: "function", 5: "memory", 6: "global", 7: "export", 10: "code",
                      11: "data", 4: "table", 9: "element", 8: "start", 12: "datacount"}.get(sid, str(sid))] += size
        if sid == 2:
            count, j = leb(b, i)
            for _ in range(count):
                _, j = name(b, j)
                _, j = name(b, j)
                kind, j = b[j], j + 1
                if kind == 0:
                    _, j = leb(b, j)
                    imported += 1
                elif kind == 1:
                    j = limits(b, j + 1)
                elif kind == 2:
                    j = limits(b, j)
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    _, j = leb(b, j + 1)
        elif sid == 10:
            count, j = leb(b, i)
            for k in range(count):
                n, j2 = leb(b, j)
                bodies.append((imported + k, n + (j2 - j)))
                j = j2 + n
        elif sid == 11:
            data = size
        i = end
    if "--tsv" in sys.argv:
        for idx, size in bodies:
            print(f"{size}\t{demangle(names.get(idx, f'func[{idx}]'))}")
        return
    print(f"{path}: {len(b):,} bytes; sections: " + ", ".join(f"{k} {v:,}" for k, v in sections.most_common()))
    by_crate, by_fn = Counter(), Counter()
    for idx, size in bodies:
        full = demangle(names.get(idx, f"func[{idx}]"))
        crate = re.sub(r"^<+", "", full).split("::")[0].split(" ")[0]
        by_crate[crate] += size
        by_fn[full] += size
    print(f"\ncode by crate (data section {data:,} bytes apart):")
    for crate, size in by_crate.most_common(25):
        print(f"  {size:>9,}  {crate}")
    print(f"\ntop {top} functions:")
    for fn, size in by_fn.most_common(top):
        print(f"  {size:>9,}  {fn[:150]}")


if __name__ == "__main__":
    main()
