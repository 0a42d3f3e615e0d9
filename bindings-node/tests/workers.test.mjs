// Concurrency: worker threads tally parts of the same answers with both packages at once (the native
// addon shared by every thread, one WASM instance per thread); the parts, merged through their JSON
// form, equal one serial tally, and each worker's benchmark equals the main thread's.
import test from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import * as node from "../index.js";
import * as wasm from "../../bindings-wasm/node.js";

const N = 200_000;
const WORKERS = 4;
const answers = new Uint8Array(new SharedArrayBuffer(N));
const keys = Array.from({ length: N }, (_, i) => ["north", "south", "east", "west"][(i * 7919) % 4]);
for (let i = 0; i < N; i++) answers[i] = (i * 2654435761) % 11;

const WORKER = `
  import { parentPort, workerData } from "node:worker_threads";
  const { pkg, answers, keys, from, to } = workerData;
  const cem = await import(pkg);
  const part = new cem.Tally([0, 10]);
  for (let i = from; i < to; i += 1000) part.update(answers.subarray(i, Math.min(i + 1000, to)));
  parentPort.postMessage({ part: part.toJSON(), table: cem.benchmark(keys, answers) });
`;

function runWorker(pkg, from, to) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`), {
      workerData: { pkg, answers, keys, from, to },
    });
    w.once("message", resolve);
    w.once("error", reject);
  });
}

for (const [name, cem, pkg] of [
  ["node", node, new URL("../index.js", import.meta.url).href],
  ["wasm", wasm, new URL("../../bindings-wasm/node.js", import.meta.url).href],
]) {
  test(`${name}: worker-thread tallies merge to the serial tally; concurrent benchmarks equal serial`, async () => {
    const step = N / WORKERS;
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, k) => runWorker(pkg, k * step, (k + 1) * step)),
    );
    const merged = new cem.Tally([0, 10]);
    for (const r of results) merged.merge(cem.Tally.fromJSON(r.part));
    const serial = new cem.Tally([0, 10]);
    serial.update(answers);
    assert.deepEqual(Array.from(merged.counts), Array.from(serial.counts));
    assert.equal(merged.n, N);
    assert.deepEqual(merged.estimate("nps"), cem.nps(answers));
    const table = cem.benchmark(keys, answers);
    for (const r of results) assert.deepEqual(r.table, table);
  });
}
