// Every conformance vector through the installed @cemscore/node, answered by the implementation and on the
// cpu named by CEM_BACKEND ("native" or "wasm", the fallback) and CEM_ARCH (test-install runs it with the
// linux-arm64-gnu package under an arm64 node in qemu, and without a platform package on this machine).
import test from "node:test";
import assert from "node:assert/strict";
import * as cem from "@cemscore/node";
import { testVectors } from "../../bindings-wasm/tests/vectors.mjs";

test(`${process.env.CEM_BACKEND} answers on ${process.env.CEM_ARCH}`, () => {
  assert.equal(cem.backend, process.env.CEM_BACKEND);
  assert.equal(process.arch, process.env.CEM_ARCH);
});
testVectors(cem, test);
