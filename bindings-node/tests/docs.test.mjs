// The JavaScript samples of the book (docs/src/*.md) run against both packages.
import test from "node:test";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

const docs = new URL("../../docs/src/", import.meta.url);
const blocks = readdirSync(docs)
  .filter((f) => f.endsWith(".md"))
  .flatMap((f) => [...readFileSync(new URL(f, docs), "utf8").matchAll(/```js\n([\s\S]*?)```/g)].map((m) => [f, m[1]]));
const targets = {
  "@cemscore/wasm": new URL("../../bindings-wasm/node.js", import.meta.url).pathname,
  "@cemscore/node": new URL("../index.js", import.meta.url).pathname,
};

for (const [pkg, path] of Object.entries(targets)) {
  blocks.forEach(([file, code], i) => {
    test(`${file} sample ${i} runs with ${pkg}`, () => {
      const source = code.replace(/from "@cemscore\/(wasm|node)";.*$/m, `from ${JSON.stringify(path)};`);
      const script = join(mkdtempSync(join(tmpdir(), "cem-doc-")), "sample.mjs");
      writeFileSync(script, source);
      execFileSync(process.execPath, [script], { stdio: "pipe" });
    });
  });
}

test("the book has JavaScript samples", () => {
  if (blocks.length === 0) throw new Error("no ```js blocks found");
});
