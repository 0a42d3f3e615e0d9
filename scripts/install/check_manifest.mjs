// The published manifest of @cemscore/node (argv[2], from its tarball): one optional dependency per platform
// package under bindings-node/npm (argv[3]), each pinned to this version (argv[4]), @cemscore/wasm pinned
// (the fallback), and no .node in the root package.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const [manifest, npmDir, version] = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(manifest, "utf8"));
const platforms = readdirSync(npmDir).sort();
const expected = Object.fromEntries(platforms.map((p) => [`@cemscore/node-${p}`, version]));
assert.deepEqual(pkg.optionalDependencies, expected, "optionalDependencies");
assert.deepEqual(pkg.dependencies, { "@cemscore/wasm": version }, "dependencies");
assert.ok(!pkg.files.some((f) => f.endsWith(".node")), `files: ${pkg.files}`);
console.log(`@cemscore/node ${pkg.version}: optional ${platforms.join(", ")}; falls back to @cemscore/wasm ${version}`);
