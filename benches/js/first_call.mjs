// The first call's cost in a fresh process, for each module of @cemscore/wasm: compiling and instantiating
// the .wasm, then the first `nps` on 10⁷ answers (V8 runs a function's baseline code first, and the copy
// grows the memory) against the next ones; the analytics module's first `drivers`. Best of `runs` fresh
// processes (this file re-run as a child), as the figures are noisy on a shared machine.
// Run: node benches/js/first_call.mjs [runs]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const pkg = new URL("../../bindings-wasm/pkg/", import.meta.url);
const ms = (s) => Number(process.hrtime.bigint() - s) / 1e6;

if (process.argv[2] === "--child") {
  const lean = await import(new URL("cemscore_wasm.js", pkg));
  const analytics = await import(new URL("cemscore_analytics.js", pkg));
  const out = {};
  const answers = Uint8Array.from({ length: 10_000_000 }, (_, i) => (i * 7) % 11);
  let s = process.hrtime.bigint();
  const bytes = readFileSync(new URL("cemscore_wasm_bg.wasm", pkg));
  const module = await WebAssembly.compile(bytes);
  out.lean_compile = ms(s);
  s = process.hrtime.bigint();
  lean.initSync({ module });
  out.lean_instantiate = ms(s);
  s = process.hrtime.bigint();
  lean.nps([10, 9, 3]);
  out.nps_first_small = ms(s);
  s = process.hrtime.bigint();
  lean.nps(answers);
  out.nps_first_1e7 = ms(s);
  const next = [];
  for (let i = 0; i < 5; i++) {
    s = process.hrtime.bigint();
    lean.nps(answers);
    next.push(ms(s));
  }
  out.nps_next_1e7 = Math.min(...next);
  s = process.hrtime.bigint();
  const amodule = await WebAssembly.compile(readFileSync(new URL("cemscore_analytics_bg.wasm", pkg)));
  out.analytics_compile = ms(s);
  s = process.hrtime.bigint();
  analytics.initSync({ module: amodule });
  out.analytics_instantiate = ms(s);
  const columns = { y: Array.from({ length: 1000 }, (_, i) => i % 11), a: Array.from({ length: 1000 }, (_, i) => (i * 3) % 5), b: Array.from({ length: 1000 }, (_, i) => (i * 7) % 5) };
  s = process.hrtime.bigint();
  analytics.drivers(columns, { outcome: "y", drivers: ["a", "b"] });
  out.drivers_first = ms(s);
  s = process.hrtime.bigint();
  analytics.drivers(columns, { outcome: "y", drivers: ["a", "b"] });
  out.drivers_next = ms(s);
  console.log(JSON.stringify(out));
} else {
  const runs = Number(process.argv[2] ?? 5);
  const all = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [new URL(import.meta.url).pathname, "--child"], { encoding: "utf8" })));
  console.log(`first calls, best of ${runs} fresh processes (ms):`);
  for (const k of Object.keys(all[0])) console.log(`  ${k.padEnd(22)} ${Math.min(...all.map((r) => r[k])).toFixed(2).padStart(8)}`);
}
