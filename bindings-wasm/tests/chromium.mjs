// What the Chromium tests share: the demo page served from the package's directory on 127.0.0.1, opened
// in Debian's Chromium (playwright-core, a fresh profile, kept off the closed network), the page's errors
// collected, screenshots saved to target/screenshots/.
import { createServer } from "node:http";
import { mkdir, readFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";

const root = new URL("..", import.meta.url).pathname;
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** A static server of the package's directory on a free port of 127.0.0.1. */
function serve() {
  const server = createServer(async (req, res) => {
    try {
      const path = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!path.startsWith(root)) throw new Error("outside");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/**
 * Runs `body({ page, problems, fetched })` on the demo page, loaded and ready, in a headless Chromium of the
 * given viewport; `problems` collects the page's uncaught errors and console errors, `fetched` the paths the
 * page requested (its network log). Closes everything after.
 */
export async function withDemo(viewport, body) {
  const server = await serve();
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "cem-chromium-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    const fetched = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`http://127.0.0.1:${server.address().port}/demo/index.html`);
    await page.waitForSelector("body[data-ready=true]");
    await body({ page, problems, fetched });
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * Puts `text` into the field at `selector` as a paste does: the value set at once, then one `input` event.
 * (Playwright's `fill` types it: ~9 ms a row, 27 s for 3,000 rows, near its 30 s limit on a busy machine.)
 */
export async function paste(page, selector, text) {
  await page.$eval(selector, (field, value) => {
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** The whole page as target/screenshots/`name`. */
export async function screenshot(page, name) {
  const dir = join(root, "..", "target", "screenshots");
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true });
}
