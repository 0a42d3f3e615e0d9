// A browser page that runs key drivers: @cemscore/wasm's analytics module loaded on first use
// (`loadAnalytics`, a dynamic import that esbuild splits into its own chunk) and fetched once for two analyses.
import init, { nps, drivers, loadAnalytics } from "@cemscore/wasm";
import wasmUrl from "@cemscore/wasm/cemscore_wasm_bg.wasm";
import analyticsUrl from "@cemscore/wasm/cemscore_analytics_bg.wasm";

const columns = { nps: [], ease: [], speed: [] };
for (let i = 0; i < 200; i++) {
  const ease = 1 + (i % 5), speed = 1 + ((i * 3) % 5);
  columns.ease.push(ease);
  columns.speed.push(speed);
  columns.nps.push(Math.max(0, Math.min(10, 2 * ease + (speed > 3 ? 1 : 0) + (i % 3) - 2)));
}

try {
  await init({ module_or_path: wasmUrl });
  const e = nps(columns.nps);
  let before = null;
  try {
    drivers(columns, { outcome: "nps", drivers: ["ease", "speed"] });
  } catch (err) {
    before = err.message;
  }
  await loadAnalytics({ module_or_path: analyticsUrl });
  const first = drivers(columns, { outcome: "nps", drivers: ["ease", "speed"] });
  await loadAnalytics({ module_or_path: analyticsUrl });
  const second = drivers(columns, { outcome: "nps", drivers: ["ease"] });
  document.querySelector("#out").textContent = `R² ${first.r2.toFixed(3)}, ${second.r2.toFixed(3)}`;
  document.body.dataset.result = JSON.stringify({ n: e.n, before, drivers: first.drivers.map((d) => d.driver).sort(), r2: [first.r2, second.r2] });
} catch (err) {
  document.body.dataset.error = String(err && err.stack || err);
}
