// CommonJS require of an installed ES-module package (require(esm), Node >= 20.19 / 22.12).
const assert = require("node:assert/strict");
const pkg = process.argv[2];
const { nps } = require(pkg);
assert.equal(nps(Uint8Array.from([10, 9, 9, 8, 7, 6, 3, 10, 9, 2])).value, 20);
console.log(`${pkg}: CommonJS require ok`);
