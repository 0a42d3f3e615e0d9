// The calls of the analytics module (key drivers, discover, keyness, raking, counts tables), under the
// same names as in one module: each call forwards to the analytics module that `module(name)` returns
// (loaded: index.js throws until `await loadAnalytics()`; node.js instantiates it on first use).
export function analyticsCalls(module) {
  return {
    drivers: (columns, options) => module("drivers").drivers(columns, options),
    discover: (columns, options) => module("discover").discover(columns, options),
    keyness: (texts, groups, options) => module("keyness").keyness(texts, groups, options),
    terms: (texts, options) => module("terms").terms(texts, options),
    rake: (columns, margins, options) => module("rake").rake(columns, margins, options),
    rakeCells: (columns, counts, margins, options) => module("rakeCells").rakeCells(columns, counts, margins, options),
    rakeEstimate: (columns, margins, answers, options) =>
      module("rakeEstimate").rakeEstimate(columns, margins, answers, options),
    fromCountsTable: (rows, options) => module("fromCountsTable").fromCountsTable(rows, options),
  };
}
