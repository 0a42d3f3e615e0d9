// One run, one process: @cemscore/node, @cemscore/wasm and an idiomatic plain-JS loop on 10 M answers
// and on 10 M rows × 1,000 segments. Prints medians of several runs and ratios; names the machine.
// Run: make bench (writes the results as JSON to the path given as the first argument, if any).
import os from "node:os";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as node from "../../bindings-node/index.js";
import * as wasm from "../../bindings-wasm/node.js";

const N = 10_000_000;
const SEGMENTS = 1000;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const answers = Uint8Array.from({ length: N }, () => Math.floor(rand() * 11));
const codes = Uint32Array.from({ length: N }, () => Math.floor(rand() * SEGMENTS));

// One call first, untimed: the first call of a WebAssembly function runs V8's baseline code (and grows
// its memory); the next ones run the optimised code (16.7 ms, then ≈ 1.2 ms, for `nps` on 10 M answers).
function median(f, runs = 7) {
  f();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    f();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

// The plain-JS idiom: count, then NPS and a Wald interval.
function plainNps(a) {
  let p = 0, d = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v >= 9) p++;
    else if (v <= 6) d++;
  }
  const n = a.length, ps = p / n, ds = d / n;
  return [100 * (ps - ds), 196 * Math.sqrt((ps + ds - (ps - ds) ** 2) / n)];
}

function plainSegments(c, a) {
  const counts = new Float64Array(SEGMENTS * 11);
  for (let i = 0; i < a.length; i++) counts[c[i] * 11 + a[i]]++;
  return counts;
}

// The answers written once into @cemscore/wasm's answers buffer (WebAssembly memory), then counted in place
// by every call: the view is taken in the first, untimed call (after the copying row has grown the memory).
let inMemory = null;
const inPlace = () => {
  if (inMemory === null) (inMemory = wasm.answersBuffer(N)).set(answers);
  return wasm.nps(inMemory);
};

const rows = [
  ["nps, 10 M answers", {
    "@cemscore/node": () => node.nps(answers),
    "@cemscore/wasm": () => wasm.nps(answers),
    "@cemscore/wasm, answersBuffer": inPlace,
    "plain JS loop": () => plainNps(answers),
  }],
  ["benchmark, 10 M rows × 1,000 segments", {
    "@cemscore/node": () => node.benchmark(codes, answers),
    "@cemscore/wasm": () => wasm.benchmark(codes, answers),
    "plain JS loop (counts only)": () => plainSegments(codes, answers),
  }],
];

const machine = `${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}`;
console.log(`machine: ${machine}`);
const results = { machine, tasks: {} };
for (const [task, impls] of rows) {
  const times = Object.fromEntries(Object.entries(impls).map(([k, f]) => [k, median(f, task.startsWith("bench") ? 3 : 15)]));
  results.tasks[task] = times;
  const base = times["@cemscore/node"];
  console.log(`\n${task}`);
  for (const [k, t] of Object.entries(times)) {
    console.log(`  ${k.padEnd(30)} ${t.toFixed(1).padStart(8)} ms   ${(t / base).toFixed(2)}× node's time`);
  }
}
// The fair limit for the WASM kernel: the same kernel natively at WebAssembly's vector width (x86_64's
// baseline SSE2, 128-bit) and at the width cem picks here (AVX2), on these same bytes, in this run
// (benches/src/bin/kernel_sse2.rs; `make bench` builds it).
const target = process.env.CARGO_TARGET_DIR || new URL("../../target", import.meta.url).pathname;
const kernel = join(target, "release", "kernel_sse2");
if (existsSync(kernel)) {
  const file = join(os.tmpdir(), `cem-answers-${process.pid}.bin`);
  writeFileSync(file, answers);
  const native = JSON.parse(execFileSync(kernel, [file], { encoding: "utf8" }));
  const wasmNps = results.tasks["nps, 10 M answers"]["@cemscore/wasm"];
  const wasmInPlace = results.tasks["nps, 10 M answers"]["@cemscore/wasm, answersBuffer"];
  results.native_kernel = native;
  console.log("\nthe byte kernel natively on the same 10 M answers");
  for (const [k, t] of [
    ["SSE2 (128-bit, as simd128)", native.sse2_ms],
    ["AVX 128-bit (as V8 emits simd128)", native.avx128_ms],
    ["AVX2 (256-bit, cem's pick here)", native.avx2_ms],
    ["Tally::from_answers", native.tally_ms],
  ]) {
    if (t !== null) {
      console.log(`  ${k.padEnd(34)} ${t.toFixed(2).padStart(7)} ms   @cemscore/wasm nps: ${(t / wasmNps * 100).toFixed(0)}% of its speed, ` +
        `from answersBuffer ${(t / wasmInPlace * 100).toFixed(0)}%`);
    }
  }
  // The ≥ 50% target (issue 30): `nps` from answersBuffer against the native AVX2 kernel in interleaved
  // rounds, each the WebAssembly call's median of 15 and then the native kernel's median of 31, so that a
  // shared machine's load, which moves between measurements, weighs on both sides of each ratio alike.
  if (native.avx2_ms !== null) {
    results.in_place_rounds = [];
    console.log(`
nps from answersBuffer against the native AVX2 kernel, interleaved (load ${os.loadavg()[0].toFixed(1)})`);
    for (let round = 1; round <= 3; round++) {
      const inPlaceMs = median(inPlace, 15);
      const avx2Ms = JSON.parse(execFileSync(kernel, [file], { encoding: "utf8" })).avx2_ms;
      results.in_place_rounds.push({ in_place_ms: inPlaceMs, avx2_ms: avx2Ms });
      console.log(`  round ${round}: @cemscore/wasm nps(buf) ${inPlaceMs.toFixed(2)} ms, native AVX2 ${avx2Ms.toFixed(2)} ms: ` +
        `${(avx2Ms / inPlaceMs * 100).toFixed(0)}% (target ≥ 50%)`);
    }
  }
  rmSync(file);
}
if (process.argv[2]) {
  mkdirSync(dirname(process.argv[2]), { recursive: true });
  writeFileSync(process.argv[2], JSON.stringify(results, null, 1));
}
