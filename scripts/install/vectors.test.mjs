// Every conformance vector through the installed @cemscore/node, answered by its native addon (test-install
// runs this under an arm64 node in qemu, with the linux-arm64-gnu package npm chose for arm64).
import test from "node:test";
import assert from "node:assert/strict";
import * as cem from "@cemscore/node";
import { testVectors } from "../../bindings-wasm/tests/vectors.mjs";

test("the native addon answers", () => {
  assert.equal(cem.backend, "native");
  assert.equal(process.arch, "arm64");
});
testVectors(cem, test);
