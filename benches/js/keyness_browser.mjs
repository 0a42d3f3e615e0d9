// keyness of 10⁵ comments in the browser: @cemscore/wasm's analytics module in Debian's Chromium (headless,
// playwright-core, as the browser tests launch it), detractors against promoters with the defaults
// (unigrams and bigrams, English stop words). The budget: ≤ 1.5 s.
// The corpus is made in the page, in JS, with the shape of `cem_benches::corpus` (benches/src/lib.rs): the
// same vocabulary, Zipf weights 1/(rank + 2.7), xorshift draws, 10–30 words, a comma after every 7th word
// and a full stop at the end, an NPS answer per comment. One untimed call first (V8's baseline code, the
// memory's growth), then the median of 3 timed calls (performance.now()); also the time to load the module.
// Run: node benches/js/keyness_browser.mjs [comments] [out.json]   (make bench; needs `make wasm`)
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { extname, join } from "node:path";
import { createRequire } from "node:module";

// playwright-core as the browser tests have it: bindings-wasm's dev dependency.
const { chromium } = createRequire(new URL("../../bindings-wasm/package.json", import.meta.url))("playwright-core");

const n = Number(process.argv[2] ?? 100_000);
const root = new URL("../../bindings-wasm/", import.meta.url).pathname;
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

const server = createServer((req, res) => {
  const path = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  try {
    if (!path.startsWith(root)) throw new Error("outside");
    const body = req.url === "/bench.html" ? "<!doctype html><title>keyness bench</title>" : readFileSync(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
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
let result;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
  result = await page.evaluate(async (n) => {
    // cem_benches::corpus, step for step (u64 xorshift in BigInt, so the draws are the same numbers).
    function corpus(n) {
      const common = ("the i to and a was it my of for on not very is in they with this but have no that " +
        "service app refund hold easy call staff helpful slow great never again support price").split(" ");
      const syl = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ba", "gor"];
      const vocab = [...common];
      for (let k = 0; k < 20000; k++) {
        vocab.push(`${syl[k % 12]}${syl[Math.floor(k / 12) % 12]}${syl[Math.floor(k / 144) % 12]}${Math.floor(k / 1728)}`);
      }
      const w = vocab.map((_, k) => 1 / (k + 2.7));
      const total = w.reduce((a, b) => a + b, 0);
      const cdf = new Float64Array(w.length);
      let acc = 0;
      w.forEach((x, k) => { acc += x / total; cdf[k] = acc; });
      const mask = (1n << 64n) - 1n;
      let x = 0x9e3779b97f4a7c15n;
      const next = () => {
        x ^= (x << 13n) & mask;
        x ^= x >> 7n;
        x ^= (x << 17n) & mask;
        return x;
      };
      const texts = new Array(n);
      const answers = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const words = 10 + Number(next() % 21n);
        let s = "";
        for (let j = 0; j < words; j++) {
          const u = Number(next() >> 11n) / 2 ** 53;
          let lo = 0, hi = cdf.length; // partition_point(c < u)
          while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
          if (j > 0) s += j % 7 === 0 ? ", " : " ";
          s += vocab[Math.min(lo, vocab.length - 1)];
        }
        texts[i] = s + ".";
        answers[i] = Number(next() % 11n);
      }
      return { texts, answers };
    }
    const { texts, answers } = corpus(n);
    let s = performance.now();
    const cem = await import("/index.js");
    await cem.default();
    await cem.loadAnalytics();
    const load = performance.now() - s;
    const call = () => cem.keyness(texts, null, { answers });
    const first = call();
    const times = [];
    for (let i = 0; i < 3; i++) {
      s = performance.now();
      call();
      times.push(performance.now() - s);
    }
    return { load_ms: load, times_ms: times, target_texts: first.target_texts, reference_texts: first.reference_texts,
      terms: first.terms.length, first_text: texts[0], browser: navigator.userAgent };
  }, n);
} finally {
  await browser.close();
  server.close();
}
const median = [...result.times_ms].sort((a, b) => a - b)[1];
const out = { comments: n, median_s: median / 1000, ...result, cpu: cpus()[0]?.model, load: loadavg()[0] };
console.log(`keyness of ${n.toLocaleString("en")} comments in Chromium (${result.browser.match(/Chrome\/[\d.]+/)?.[0]}): ` +
  `median of 3 ${(median / 1000).toFixed(2)} s (${result.times_ms.map((t) => (t / 1000).toFixed(2)).join(", ")}); ` +
  `module load ${result.load_ms.toFixed(0)} ms; ${result.target_texts} detractors against ${result.reference_texts} ` +
  `promoters, ${result.terms} terms listed; load average ${out.load.toFixed(1)}. Budget ≤ 1.5 s.`);
if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(out, null, 1) + "\n");
