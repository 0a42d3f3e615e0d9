// Checked by tsc --strict against the installed package's declarations (PKG is replaced by the package name).
import init, { nps, benchmark, type Estimate, type Benchmark, type CemError } from "PKG";

await init();
const e: Estimate = nps(Uint8Array.from([10, 9, 3]), { level: 0.9, method: "wald" });
const lower: number = e.interval.lower;
const b: Benchmark = benchmark(["a", "b"], [10, 3], { against: "rest", min_n: 1 });
const keys: string[] = b.rows.map((r) => r.key);
// @ts-expect-error: an option nps does not read
nps([10], { threshold: 4 });
// @ts-expect-error: a method outside the vocabulary
nps([10], { method: "wilsn" });
export function code(err: CemError): string {
  return err.code;
}
export { lower, keys };
