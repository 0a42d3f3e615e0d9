// @cemscore/node only: the same calls on the libuv thread pool, off the event loop (resolved synchronously
// under the WebAssembly fallback).
export function npsAsync(answers: Answers, options?: EstimateOptions<"nps">): Promise<Estimate>;
export function benchmarkAsync(segments: ArrayLike<string | number> | Uint32Array, answers: Answers, options?: BenchmarkOptions): Promise<Benchmark>;
export function classifyAsync(answers: Answers, options?: ClassifyOptions): Promise<(Category | null)[]>;
/** Which implementation answers: "native" (this platform's addon) or "wasm" (the @cemscore/wasm fallback,
 * on a platform without a prebuilt addon). */
export const backend: "native" | "wasm";
