"""Writes docs/src/benchmarks.md and its chart from one `make bench` run: the criterion estimates of the
core (target/criterion), the Python peers (target/bench/python.json) and the JS peers (target/bench/js.json),
in cargo's target directory (CARGO_TARGET_DIR if set, as `make bench` sets it).
Every number in the page comes from that run; nothing is typed in by hand."""

import json
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
CRITERION = TARGET / "criterion"
DOCS = ROOT / "docs" / "src"


def criterion_seconds(*parts):
    """Median time of one criterion benchmark, in seconds (None if it did not run)."""
    f = CRITERION.joinpath(*parts, "new", "estimates.json")
    return json.loads(f.read_text())["median"]["point_estimate"] / 1e9 if f.exists() else None


def ms(t):
    if t >= 1:
        return f"{t:.2f} s"
    return f"{t * 1e3:.3g} ms" if t >= 1e-3 else f"{t * 1e6:.3g} µs"


def ratio(slow, fast):
    return f"{slow / fast:.1f}×"


def discover_run():
    """target/bench/discover.json (benches/python/discover_peers.py), or None if it did not run."""
    f = TARGET / "bench/discover.json"
    return json.loads(f.read_text()) if f.exists() else None


def discover_section():
    d = discover_run()
    if not d:
        return []
    t = d["times"]
    cem = t["cemscore.discover (categorical columns)"]
    v = d["versions"]
    lines = ["", f"## Data-driven segments: {d['rows']:,} rows × {d['attributes']} attributes × {d['values']} values, "
             f"depth {d['depth']}, NPS", "",
             f"Every slice of at most {d['depth']} conditions ({d['slices']:,}); cemscore tests each against its rest "
             f"(m = {d['cem_m']:,}) with Holm over all of them. In one process: {d['machine']}, numpy {v['numpy']}, "
             f"pysubgroup {v['pysubgroup']}, DivExplorer {v['divexplorer']} (their own venv: pysubgroup needs "
             "numpy < 2; see benches/requirements-discover.txt).", "",
             "| implementation | time | cemscore.discover is |", "|---|---|---|"]
    for name, x in t.items():
        lines.append(f"| {name} | {ms(x)} | {'—' if x == cem else ratio(x, cem) + ' faster'} |")
    small = d.get("times_divexplorer_rows")
    if small:
        base = small["cemscore.discover (categorical columns)"]
        lines += ["", f"DivExplorer has no depth, only a minimum support (0.0035 keeps exactly the slices of ≤ 3 "
                  f"conditions here: {d['divexplorer_patterns'] - 1:,} patterns, the deepest of "
                  f"{d['divexplorer_max_depth']}); at {d['divexplorer_rows']:,} rows:", "",
                  "| implementation | time | cemscore.discover is |", "|---|---|---|"]
        for name, x in small.items():
            lines.append(f"| {name} | {ms(x)} | {'—' if x == base else ratio(x, base) + ' faster'} |")
    lines += ["", "The Rust core alone (criterion, `benches/benches/discover.rs`, the same shape of data):", "",
              "| attributes given as | time |", "|---|---|"]
    for key, label in [("codes", "categorical codes"), ("texts", "texts")]:
        x = criterion_seconds("discover", f"1000000x8x6_depth3_{key}")
        if x:
            lines.append(f"| {label} | {ms(x)} |")
    return lines


def discover_targets():
    d = discover_run()
    if not d:
        return []
    t = d["times"]
    cem = t["cemscore.discover (categorical columns)"]
    fastest = min(x for name, x in t.items() if name.startswith("pysubgroup"))
    slowest_cem = max(x for name, x in t.items() if name.startswith("cemscore"))
    return [f"| `cemscore.discover` 10⁶ rows × 8 attributes, depth 3 ≤ 1 s (slowest input kind) | {ms(slowest_cem)} | "
            f"{'yes' if slowest_cem <= 1 else 'no'} |",
            f"| `cemscore.discover` ≥ 20× pysubgroup (its fastest configuration) | {fastest / cem:.0f}× | "
            f"{'yes' if fastest / cem >= 20 else 'no'} |"]


def rake_run():
    """target/bench/rake.json (benches/python/rake_peers.py), or None if it did not run."""
    f = TARGET / "bench/rake.json"
    return json.loads(f.read_text()) if f.exists() else None


def rake_section():
    r = rake_run()
    if not r:
        return []
    v = r["versions"]
    sizes = sorted(r["speed"], key=int)
    tools = list(dict.fromkeys(name for n in sizes for name in r["speed"][n]))
    lines = ["", f"## Raking: rows × {len(r['levels'])} variables ({', '.join(map(str, r['levels']))} levels), "
             "end to end from a pandas frame to a weight per row", "",
             f"In one process (benches/python/rake_peers.py, its own venv: balance needs numpy < 2): {r['machine']}, "
             f"cemscore {v['cemscore']}, weightipy {v['weightipy']}, balance {v['balance']}, ipfn {v['ipfn']}"
             + (f", {v['R survey']} (timed inside R)" if "R survey" in v else "") + ". A peer over 12 s at a size "
             "is not run at the larger sizes. Margin error: max |achieved / target − 1| of the weights returned.", "",
             "| tool | " + " | ".join(f"{int(n):,} rows | × cem | margin error" for n in sizes) + " |",
             "|---|" + "---|---|---|" * len(sizes)]
    for name in tools:
        cells = []
        for n in sizes:
            row = r["speed"][n].get(name)
            cells += ([ms(row["seconds"]), f"{row['ratio']:.1f}", f"{row['margin_error']:.1e}"
                       if row["margin_error"] is not None else "—"] if row else ["not run", "", ""])
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def rake_targets():
    r = rake_run()
    out = []
    core = criterion_seconds("rake", "1e7_rows_4_variables")
    if core:
        out.append(f"| raking 10⁷ rows × 4 variables ≤ 0.5 s on one thread (Rust core) | {ms(core)} | "
                   f"{'yes' if core <= 0.5 else 'no'} |")
    big = r and r["speed"].get(str(10**7))
    if big:
        for who, times in [("weightipy", 20), ("balance", 100)]:
            if who in big:
                x = big[who]["ratio"]
                met = "yes" if x >= times else "no"
                out.append(f"| `cemscore.rake` ≥ {times}× {who} (10⁷ rows) | {x:.0f}× | {met} |")
    return out


def main():
    py = json.loads((TARGET / "bench/python.json").read_text())
    js = json.loads((TARGET / "bench/js.json").read_text())
    sizes = [row["n"] for row in py["nps"]]
    core = {n: criterion_seconds("tally_u8", str(n)) for n in sizes}

    # Chart: answers per second against input size, per implementation.
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name in ["cemscore", "numpy bincount", "pandas", "polars"]:
        ax.plot(sizes, [row["n"] / row[name] for row in py["nps"]], marker="o", label=f"Python: {name}")
    pts = [(n, n / t) for n, t in core.items() if t]
    if pts:
        ax.plot(*zip(*pts), marker="s", linestyle="--", label="Rust: cem-core Tally (criterion)")
    ax.set(xscale="log", yscale="log", xlabel="answers", ylabel="answers per second",
           title="NPS of n answers (uint8), one run")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(DOCS / "benchmarks.svg")

    b = py["benchmark"]
    cem_b = b["cemscore.benchmark"]
    ac = py["after_counting"]
    mem = py["memory"]
    seg = {k: criterion_seconds("segment_tally_u32_u8", k, "1000") for k in ["cem", "plain_loop"]}
    # The split across threads: 1 and 2 threads forced, 10⁵…10⁷ rows (where two start to win).
    split_sizes = [100_000, 250_000, 500_000, 1_000_000, 10_000_000]
    split = {(t, n): criterion_seconds("segment_tally_threads_1000_segments", f"{t}_threads", str(n))
             for t in (1, 2) for n in split_sizes}
    single = split[(1, 10_000_000)] or seg["cem"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` from one run (`benches/report.py`); medians of several repetitions; each",
        "language's peers in one process. Do not edit by hand: rerun `make bench`.",
        "",
        f"- Python: {py['machine']}",
        f"- Node: {js['machine']}",
        "",
        "![answers per second against input size](benchmarks.svg)",
        "",
        "## Python: NPS of n uint8 answers",
        "",
        "| n | cemscore | numpy bincount | pandas | polars | cem vs numpy |",
        "|---|---|---|---|---|---|",
    ]
    for row in py["nps"]:
        lines.append(f"| {row['n']:,} | {ms(row['cemscore'])} | {ms(row['numpy bincount'])} | {ms(row['pandas'])} | "
                     f"{ms(row['polars'])} | {ratio(row['numpy bincount'], row['cemscore'])} |")
    lines += [
        "",
        "## Python: benchmark, 10⁷ rows × 1,000 segments",
        "",
        "| implementation | time | cemscore.benchmark is |",
        "|---|---|---|",
    ]
    for name, t in b.items():
        lines.append(f"| {name} | {ms(t)} | {'—' if t == cem_b else ratio(t, cem_b) + ' faster'} |")
    tr = py.get("trend", {})
    cem_t = tr.get("cemscore.trend (datetime64 dates)")
    if cem_t:
        lines += ["", "## Trends: 10⁷ rows × 1,000 segments × 52 ISO weeks", "",
                  "| implementation | time | cemscore.trend is |", "|---|---|---|"]
        for name, t in tr.items():
            lines.append(f"| {name} | {ms(t)} | {'—' if t == cem_t else ratio(t, cem_t) + ' faster'} |")
        group = "trend_1e7_rows_1000_segments_52_weeks"
        steps = [("binning_only", "binning 10⁷ day numbers into ISO weeks"),
                 ("grid_from_day_numbers", "the grid from day numbers (binning and counting into one flat table)"),
                 ("grid_from_iso_texts", "the grid from ISO texts (parsing included)"),
                 ("tests_and_holm_over_the_grid", "estimates, period-against-period tests and Holm over 52,000 cells")]
        lines += ["", "Where the time goes (Rust core, criterion):", "", "| step | time |", "|---|---|"]
        lines += [f"| {label} | {ms(criterion_seconds(group, key))} |" for key, label in steps
                  if criterion_seconds(group, key)]
    lines += [
        "",
        "## Python: after counting — intervals, tests and Holm for 1,000 segments",
        "",
        "| implementation | time |",
        "|---|---|",
    ] + [f"| {k} | {ms(t)} |" for k, t in ac.items()] + [
        "",
        "statsmodels' `multipletests(method=\"holm\")` calls `gc.collect()` on every call; `\"hs\"` is the",
        "same step-down family without it, which is why both are shown.",
        "",
        "## Python: peak memory beyond the input (10⁷ rows, fresh process)",
        "",
        "| call | input | peak beyond the input |",
        "|---|---|---|",
    ] + [f"| `cemscore.{k}` | {v['input_bytes'] / 1e6:.0f} MB | {v['extra_bytes'] / 1e6:.1f} MB |" for k, v in mem.items()] + [
        "",
        "## Rust core (criterion)",
        "",
        "| task | time | throughput |",
        "|---|---|---|",
    ]
    for n, t in core.items():
        if t:
            lines.append(f"| tally of {n:,} u8 answers | {ms(t)} | {n / t / 2**30:.2f} GiB/s |")
    if all(seg.values()):
        lines.append(f"| segment tally, 10⁷ rows × 1,000 segments, threads as the core picks | {ms(seg['cem'])} | {1e7 / seg['cem'] / 1e6:.0f} M rows/s "
                     f"(an unchecked plain scatter loop: {1e7 / seg['plain_loop'] / 1e6:.0f} M rows/s) |")
    for t in (1, 2):
        if split[(t, 10_000_000)]:
            lines.append(f"| segment tally, 10⁷ rows × 1,000 segments, {t} thread{'s' if t > 1 else ''} | "
                         f"{ms(split[(t, 10_000_000)])} | {1e7 / split[(t, 10_000_000)] / 1e6:.0f} M rows/s |")
    for m in ["adjusted_wald", "score", "bayes"]:
        t = criterion_seconds("closed_form", f"nps_{m}")
        if t:
            lines.append(f"| NPS {m} interval from a tally (10,000 answers) | {ms(t)} | |")
    t = criterion_seconds("closed_form", "nps_bayes_n100")
    if t:
        lines.append(f"| NPS bayes interval from a tally of 100 answers | {ms(t)} | |")
    t = criterion_seconds("closed_form", "benchmark_1000_segments_holm")
    if t:
        lines.append(f"| benchmark table of 1,000 segments with Holm, after the tally | {ms(t)} | |")
    if all(split.values()):
        lines += ["", "The split across threads (`update_codes` picks one thread below 2¹⁹ rows, then up to the cores; "
                  "here both forced), 1,000 segments:", "", "| rows | 1 thread | 2 threads | 2 threads are |",
                  "|---|---|---|---|"]
        for n in split_sizes:
            one, two = split[(1, n)], split[(2, n)]
            lines.append(f"| {n:,} | {ms(one)} | {ms(two)} | {one / two:.2f}× faster |")
    lines += discover_section()
    lines += rake_section()
    lines += ["", "## JavaScript (Node)", "", "| task | implementation | time | vs @cemscore/node |", "|---|---|---|---|"]
    for task, times in js["tasks"].items():
        base = times["@cemscore/node"]
        for name, t in times.items():
            lines.append(f"| {task} | {name} | {t:.1f} ms | {t / base:.2f}× |")
    wasm_nps = js["tasks"].get("nps, 10 M answers", {}).get("@cemscore/wasm")
    if wasm_nps and core.get(10_000_000):
        lines += ["", f"WebAssembly against native on 10⁷ answers: the Rust tally takes {ms(core[10_000_000])}, "
                      f"`@cemscore/wasm` `nps` {wasm_nps:.1f} ms: {core[10_000_000] * 1e3 / wasm_nps:.0%} of native."]
        native = js.get("native_kernel")
        if native:
            lines += ["", f"The same byte kernel natively on the same bytes in the same run: SSE2 (128-bit, the width of "
                          f"WebAssembly's simd128) {native['sse2_ms']:.2f} ms, 128-bit with AVX's encoding (as V8 emits simd128) "
                          f"{native['avx128_ms']:.2f} ms, AVX2 {native['avx2_ms']:.2f} ms; "
                          f"`@cemscore/wasm` `nps` runs at {native['sse2_ms'] / wasm_nps:.0%} of the SSE2 kernel's speed "
                          f"and {native['avx2_ms'] / wasm_nps:.0%} of AVX2's (its time includes copying the bytes into "
                          "WebAssembly memory)."]
            in_place = js["tasks"]["nps, 10 M answers"].get("@cemscore/wasm, answersBuffer")
            if in_place:
                lines += ["", f"From answers already in WebAssembly memory (`answersBuffer`), `nps` takes "
                              f"{in_place:.2f} ms: {native['avx2_ms'] / in_place:.0%} of the native AVX2 kernel's "
                              "speed (target ≥ 50%)."]
            rounds = js.get("in_place_rounds")
            if rounds:
                shares = ", ".join(f"{r['avx2_ms']:.2f} / {r['in_place_ms']:.2f} ms = {r['avx2_ms'] / r['in_place_ms']:.0%}"
                                   for r in rounds)
                lines += ["", f"The same, interleaved with the native kernel in {len(rounds)} rounds (native AVX2 / "
                              f"`nps(buf)`): {shares}."]
    kw = json.loads((TARGET / "bench/keyness.json").read_text()) if (TARGET / "bench/keyness.json").exists() else None
    kw_core = criterion_seconds("keyness", "1000000_comments_by_answer")
    if kw:
        lines += ["", "## Keyness: comments of about 20 words, detractors against promoters", "",
                  f"Python: {kw['machine']}", "",
                  "| comments | cemscore.keyness | scikit-learn CountVectorizer + numpy | cemscore is |",
                  "|---|---|---|---|"]
        for r in kw["keyness"]:
            ours, theirs = r["cemscore.keyness"], r["scikit-learn CountVectorizer + numpy"]
            lines.append(f"| {r['n']:,} | {ms(ours)} | {ms(theirs)} | {ratio(theirs, ours)} faster |")
    lines += ["", "## Targets (see Architecture)", "",
              "| target | measured | met |", "|---|---|---|"]
    if kw_core:
        met = "yes" if kw_core <= 2 else "no"
        lines.append(f"| keyness of 10⁶ comments ≤ 2 s (Rust core) | {ms(kw_core)} | {met} |")
    big = max(kw["keyness"], key=lambda r: r["n"]) if kw else None
    if big:
        r5 = big["scikit-learn CountVectorizer + numpy"] / big["cemscore.keyness"]
        met = "yes" if r5 >= 5 else "no"
        lines.append(f"| `cemscore.keyness` ≥ 5× CountVectorizer + numpy ({big['n']:,}) | {r5:.1f}× | {met} |")
    nps10 = next((r for r in py["nps"] if r["n"] == 10**7), None)
    if nps10:
        r = nps10["numpy bincount"] / nps10["cemscore"]
        lines.append(f"| `cemscore.nps` ≥ 10× the numpy idiom (10⁷) | {r:.0f}× | {'yes' if r >= 10 else 'no'} |")
    r4 = b["numpy bincount (counting only)"] / cem_b
    r20 = b["polars group_by + tests + Holm"] / cem_b
    lines.append(f"| `cemscore.benchmark` ≥ 4× numpy bincount alone | {r4:.1f}× | {'yes' if r4 >= 4 else 'no'} |")
    lines.append(f"| `cemscore.benchmark` ≥ 20× the polars idiom | {r20:.1f}× | {'yes' if r20 >= 20 else 'no'} |")
    if cem_t:
        for who, key in [("pandas", "pandas groupby + Grouper(W) + tests + Holm"),
                         ("polars", "polars group_by + truncate(1w) + tests + Holm")]:
            r10 = tr[key] / cem_t
            lines.append(f"| `cemscore.trend` ≥ 10× the {who} idiom | {r10:.1f}× | {'yes' if r10 >= 10 else 'no'} |")
    if all(seg.values()):
        rows = 1e7 / single / 1e6
        lines.append("| segment tally ≥ 800 M rows/s at 1,000 segments (one thread)"
                     f" | {rows:.0f} M rows/s | {'yes' if rows >= 800 else 'no'} |")
    if core.get(10_000_000):
        gbs = 1e7 / core[10_000_000] / 1e9
        lines.append(f"| u8 tally ≥ 8 GB/s | {gbs:.1f} GB/s | {'yes' if gbs >= 8 else 'no'} |")
    if wasm_nps and core.get(10_000_000):
        share = core[10_000_000] * 1e3 / wasm_nps
        lines.append(f"| WASM ≥ 50% of native | {share:.0%} | {'yes' if share >= 0.5 else 'no'} |")
    lines += discover_targets()
    lines += rake_targets()
    extra = max(v["extra_bytes"] for v in mem.values())
    lines.append(f"| Python peak memory ≤ input + O(segments) | +{extra / 1e6:.1f} MB | {'yes' if extra < 5e6 else 'no'} |")
    (DOCS / "benchmarks.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {DOCS / 'benchmarks.md'} and benchmarks.svg")


if __name__ == "__main__":
    sys.exit(main())
