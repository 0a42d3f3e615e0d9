// @cemscore/node only: the same calls on the libuv thread pool, off the event loop.
export function npsAsync(answers: Answers, options?: EstimateOptions<"nps">): Promise<Estimate>;
export function benchmarkAsync(segments: ArrayLike<string | number> | Uint32Array, answers: Answers, options?: BenchmarkOptions): Promise<Benchmark>;
export function classifyAsync(answers: Answers, options?: ClassifyOptions): Promise<(Category | null)[]>;
