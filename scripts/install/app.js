// A browser app as a user writes it: @cemscore/wasm from node_modules, the .wasm imported as a URL (esbuild's
// `file` loader, Vite's `?url`), a CSV scored on the page.
import init, { nps, benchmark } from "@cemscore/wasm";
import wasmUrl from "@cemscore/wasm/cemscore_wasm_bg.wasm";

const rows = ["region,nps"];
for (let i = 0; i < 30; i++) for (const [r, a] of [["North", [10, 9, 9, 8]], ["South", [3, 6, 8, 9]]]) for (const x of a) rows.push(`${r},${x}`);
const csv = rows.join("\n");

try {
  await init({ module_or_path: wasmUrl });
  const [header, ...lines] = csv.split("\n").map((l) => l.split(","));
  const col = (name) => lines.map((l) => l[header.indexOf(name)]);
  const answers = Float64Array.from(col("nps"), Number);
  const e = nps(answers);
  const b = benchmark(col("region"), answers);
  document.querySelector("#out").textContent = `NPS ${e.value.toFixed(1)} [${e.interval.lower.toFixed(2)}, ${e.interval.upper.toFixed(2)}] n=${e.n}`;
  document.body.dataset.result = JSON.stringify({ value: e.value, n: e.n, rows: b.rows.map((r) => [r.key, r.side, r.significant]) });
} catch (err) {
  document.body.dataset.error = String(err && err.stack || err);
}
