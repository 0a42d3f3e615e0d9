// Serves the esbuild output (argv[2]) on 127.0.0.1 and opens it in Debian's Chromium through playwright-core
// (argv[3], the checkout's test tool; the app under test comes only from the installed package): the .wasm
// must be fetched from the bundle's output and the page must score the CSV.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { createRequire } from "node:module";

const [root, playwright] = process.argv.slice(2);
const { chromium } = createRequire(import.meta.url)(playwright);
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const served = [];
const server = createServer(async (req, res) => {
  const path = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  try {
    if (!path.startsWith(root)) throw new Error("outside");
    const body = await readFile(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
    served.push(req.url);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "cem-chromium-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  await page.waitForSelector("body[data-result], body[data-error]", { timeout: 20000 });
  assert.equal(await page.getAttribute("body", "data-error"), null);
  const result = JSON.parse(await page.getAttribute("body", "data-result"));
  // North 10,9,9,8 (NPS 75) and South 3,6,8,9 (NPS −25), 120 answers each: NPS 25 overall.
  assert.equal(result.value, 25);
  assert.equal(result.n, 240);
  assert.deepEqual(result.rows.sort(), [["North", "above", true], ["South", "below", true]]);
  assert.match(await page.textContent("#out"), /^NPS 25\.0 \[/);
  assert.ok(served.some((u) => u.endsWith(".wasm")), `no .wasm fetched: ${served}`);
  assert.deepEqual(problems, []);
  console.log(`browser: esbuild bundle scored the CSV in Chromium (${await page.textContent("#out")}; fetched ${served.join(" ")})`);
} finally {
  await browser.close();
  server.close();
}
