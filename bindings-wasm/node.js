// Node entry of @cemscore/wasm: loads the .wasm synchronously, so the API is ready on import
// (as with @cemscore/node); `await init()` is then a no-op kept for code shared with browsers.
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/cemscore_wasm.js";

initSync({ module: readFileSync(new URL("./pkg/cemscore_wasm_bg.wasm", import.meta.url)) });

export * from "./pkg/cemscore_wasm.js";
export default async function init() {}
