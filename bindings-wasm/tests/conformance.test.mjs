// Every conformance vector through @cemscore/wasm in Node.
import test from "node:test";
import * as cem from "../node.js";
import { testVectors } from "./vectors.mjs";

testVectors(cem, test);
