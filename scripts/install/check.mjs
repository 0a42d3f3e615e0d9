// ESM import of an installed package (its name is argv[2]), as a user's Node program would; for
// @cemscore/node, argv[3] is the implementation that must answer ("native" or "wasm", its fallback).
import assert from "node:assert/strict";
const [pkg, backend] = process.argv.slice(2);
const cem = await import(pkg);
const { default: init, nps, benchmark } = cem;
if (backend) assert.equal(cem.backend, backend, `${pkg} answers through ${cem.backend}`);
await init();
const e = nps(Uint8Array.from([10, 9, 9, 8, 7, 6, 3, 10, 9, 2]));
assert.equal(e.value, 20);
assert.equal(e.interval.method, "adjusted_wald");
const b = benchmark(["a", "a", "b", "b"], [10, 9, 3, 6], { min_n: 1 });
assert.deepEqual(b.rows.map((r) => r.key).sort(), ["a", "b"]);
assert.throws(() => nps([10, 11]), (err) => err.code === "out_of_range" && err.index === 1);
// The analytics (in @cemscore/wasm a second module, instantiated on first use) under the same names.
const { loadAnalytics, drivers } = cem;
await loadAnalytics();
const d = drivers({ y: [1, 2, 3, 4, 5, 6], x: [1, 3, 2, 5, 4, 6] }, { outcome: "y", drivers: ["x"] });
assert.equal(d.n, 6);
console.log(`${pkg}: ESM import ok (NPS ${e.value}${backend ? `, ${backend}` : ""}, ${process.arch})`);
