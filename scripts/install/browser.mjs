// Serves a bundler's output (argv[2]; argv[4] names the bundler: esbuild, Vite) on 127.0.0.1 and opens it in
// Debian's Chromium through playwright-core (argv[3], the checkout's test tool; the app under test comes only
// from the installed package): the .wasm
// must be fetched from the bundle's output and the page must score the CSV without fetching the analytics
// module (checked in the network log); a page that runs key drivers fetches it once.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
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
// The JavaScript chunks that hold the analytics module's glue (bundlers name chunks by hash; Vite puts them
// in assets/ and names the .wasm they reference by hash too).
const [bundler] = process.argv.slice(4);
const analyticsChunks = readdirSync(root, { recursive: true })
  .filter((f) => f.endsWith(".js") && /cemscore_analytics_bg[^"'`]*\.wasm/.test(readFileSync(join(root, f), "utf8")));
const isAnalytics = (u) => /cemscore_analytics_bg.*\.wasm$/.test(u) || analyticsChunks.some((c) => u.endsWith(`/${c}`));

/** Opens `path` in a fresh page, waits for its result; returns it, the page's text and what it fetched. */
async function open(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  served.length = 0;
  await page.goto(`http://127.0.0.1:${server.address().port}/${path}`);
  await page.waitForSelector("body[data-result], body[data-error]", { timeout: 20000 });
  assert.equal(await page.getAttribute("body", "data-error"), null);
  const result = JSON.parse(await page.getAttribute("body", "data-result"));
  assert.deepEqual(problems, []);
  const out = await page.textContent("#out");
  await page.close();
  return { result, out, fetched: [...served] };
}

try {
  assert.ok(analyticsChunks.length > 0, `${bundler} split the analytics module's glue into a chunk of its own`);
  // A page that only scores: the lean module, never the analytics (its .wasm nor its glue).
  const scores = await open("index.html");
  // North 10,9,9,8 (NPS 75) and South 3,6,8,9 (NPS −25), 120 answers each: NPS 25 overall.
  assert.equal(scores.result.value, 25);
  assert.equal(scores.result.n, 240);
  assert.deepEqual(scores.result.rows.sort(), [["North", "above", true], ["South", "below", true]]);
  assert.match(scores.out, /^NPS 25\.0 \[/);
  assert.ok(scores.fetched.some((u) => /cemscore_wasm_bg.*\.wasm$/.test(u)), `no lean .wasm fetched: ${scores.fetched}`);
  assert.deepEqual(scores.fetched.filter(isAnalytics), [], "a page that only scores fetched the analytics module");
  console.log(`browser: ${bundler} bundle scored the CSV in Chromium (${scores.out}; fetched ${scores.fetched.join(" ")})`);
  // A page that runs key drivers twice: the analytics module's .wasm fetched once.
  const keyDrivers = await open("drivers.html");
  assert.match(keyDrivers.result.before, /await loadAnalytics\(\)/);
  assert.deepEqual(keyDrivers.result.drivers, ["ease", "speed"]);
  assert.ok(keyDrivers.result.r2.every((r) => r > 0.5 && r < 1), keyDrivers.out);
  assert.equal(keyDrivers.fetched.filter((u) => /cemscore_analytics_bg.*\.wasm$/.test(u)).length, 1, keyDrivers.fetched.join(" "));
  console.log(`browser: ${bundler} bundle ran key drivers in Chromium (${keyDrivers.out}; fetched ${keyDrivers.fetched.join(" ")})`);
} finally {
  await browser.close();
  server.close();
}
