// Every conformance vector through @cemscore/node (the driver is shared with @cemscore/wasm).
import test from "node:test";
import * as cem from "../index.js";
import { testVectors } from "../../bindings-wasm/tests/vectors.mjs";

testVectors(cem, test);
