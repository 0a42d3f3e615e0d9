// The demo page's data-driven segments in Debian's Chromium: the bundled survey's region, channel and
// touchpoint in, the slices out. The planted interaction (phone support in the East, built in by
// examples/generate_survey.py) must be found at depth 3 and be productive; its n and NPS are counted here
// from the CSV itself, the family and the rest of the table are the package's numbers in Node.
// Saves a screenshot to target/screenshots/wasm-demo-discover.png.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { paste, screenshot, withDemo } from "./chromium.mjs";
import { discover } from "../node.js";

const lines = readFileSync(new URL("../../examples/survey.csv", import.meta.url), "utf8").trim().split("\n");
const header = lines[0].trim().split(",");
const names = ["region", "channel", "touchpoint", "nps"];
const keep = names.map((c) => header.indexOf(c));
const rows = lines.slice(1).map((l) => { const f = l.trim().split(","); return keep.map((i) => f[i]); });
const csv = [names.join(","), ...rows.map((r) => r.join(","))].join("\n");
const fmt = (v) => v.toFixed(1);

test("the demo finds the planted interaction in Chromium, productive, with its own n and NPS", async () => {
  // The planted slice counted from the CSV: n, and NPS = 100 × (promoters − detractors) / n.
  const planted = rows.filter(([r, c, t, a]) => r === "East" && c === "phone" && t === "support" && a !== "");
  const promoters = planted.filter((r) => Number(r[3]) >= 9).length;
  const detractors = planted.filter((r) => Number(r[3]) <= 6).length;
  const nps = (100 * (promoters - detractors)) / planted.length;
  const columns = Object.fromEntries(names.map((n, j) => [n, rows.map((r) => (r[j] === "" ? null : n === "nps" ? Number(r[j]) : r[j]))]));
  const expected = discover(columns, { answer: "nps", attributes: names.slice(0, 3), metric: "nps", depth: 3, show: "productive", missing: "skip" });
  await withDemo({ width: 1100, height: 900 }, async ({ page, problems }) => {
    await paste(page, "#csv", csv);
    await page.selectOption("#answer", "nps");
    await page.fill("#attributes", "region,channel,touchpoint");
    await page.selectOption("#depth", "3");
    await page.selectOption("#show", "productive");
    await page.click("#discover");
    await page.waitForSelector("#family"); // the analytics module loads first
    const s = expected.summary;
    assert.equal(await page.textContent("#family"),
      `${s.m} slices tested up to depth 3 (each, and its rest, with at least 30 answers); holm over all ${s.m}: ` +
      `${s.significantly_above} significantly above, ${s.significantly_below} below, ${s.productive} productive. ` +
      `Overall NPS ${fmt(expected.overall.value)}.`);
    assert.ok(s.m > 100, `the family: ${s.m}`);
    const cells = await page.locator('#slices tr[data-slice="region=East & channel=phone & touchpoint=support"] td').allTextContents();
    assert.equal(cells[0], "region=East & channel=phone & touchpoint=support");
    assert.equal(cells[1], String(planted.length));
    assert.equal(cells[2], fmt(nps));
    assert.match(cells[5], /^-\d/); // below the rest
    assert.equal(cells[7], "productive");
    assert.equal(await page.locator("#slices tr[data-slice]").count(), expected.rows.length);
    assert.deepEqual(await page.locator("#slices tr[data-slice]").evaluateAll((trs) => trs.map((tr) => tr.dataset.slice)),
      expected.rows.map((r) => r.slice));
    await screenshot(page, "wasm-demo-discover.png");
    // Every slice, then a column that is not there: an error on the page, not in the console.
    await page.selectOption("#show", "all");
    await page.click("#discover");
    await page.waitForSelector("#slices");
    assert.equal(await page.locator("#slices tr[data-slice]").count(), s.m);
    await page.fill("#attributes", "region,nope");
    await page.click("#discover");
    await page.waitForSelector("#error:not(:empty)");
    assert.match(await page.textContent("#error"), /No column nope/);
    assert.deepEqual(problems, []);
  });
});
