// The demo page's comments panel in Debian's Chromium: the bundled survey's nps and comment columns in,
// detractors against promoters out. The planted themes ("refund" among detractors, "easy" among
// promoters, built in by examples/generate_survey.py) must lead, and their mention rates and the groups'
// comment counts are counted here from the CSV itself (words as lower-cased letter runs).
// Saves a screenshot to target/screenshots/wasm-demo-keyness.png.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { paste, screenshot, withDemo } from "./chromium.mjs";

const lines = readFileSync(new URL("../../examples/survey.csv", import.meta.url), "utf8").trim().split("\n");
const header = lines[0].trim().split(",");
const names = ["nps", "comment"];
const keep = names.map((c) => header.indexOf(c));
const rows = lines.slice(1).map((l) => { const f = l.trim().split(","); return keep.map((i) => f[i]); });
const csv = [names.join(","), ...rows.map((r) => r.join(","))].join("\n");
const fmt = (v) => v.toFixed(1);

test("the demo shows what detractors say that promoters don't, with rates counted from the CSV", async () => {
  const commented = rows.filter(([a, c]) => a !== "" && c.trim() !== "");
  const detractors = commented.filter(([a]) => Number(a) <= 6);
  const promoters = commented.filter(([a]) => Number(a) >= 9);
  const words = (c) => new Set(c.toLowerCase().match(/[a-z']+/g) ?? []);
  const rate = (group, w) => (100 * group.filter(([, c]) => words(c).has(w)).length) / group.length;
  assert.ok(rate(detractors, "refund") > 10 && rate(promoters, "easy") > 10); // the planted themes are there
  await withDemo({ width: 1100, height: 900 }, async ({ page, problems }) => {
    await paste(page, "#csv", csv);
    await page.selectOption("#answer", "nps");
    await page.fill("#textColumn", "comment");
    await page.click("#keyness");
    await page.waitForSelector("#keynessSummary"); // the analytics module loads first
    assert.match(await page.textContent("#keynessSummary"),
      new RegExp(`^detractor \\(${detractors.length} comments\\) against promoter \\(${promoters.length} comments\\)`));
    for (const [term, side] of [["refund", "above"], ["easy", "below"]]) {
      const row = page.locator(`#terms tr[data-term="${term}"]`);
      assert.equal(await row.getAttribute("class"), side);
      const cells = await row.locator("td").allTextContents();
      assert.deepEqual(cells.slice(0, 3), [term, fmt(rate(detractors, term)), fmt(rate(promoters, term))]);
      assert.match(cells[4], /^[0-9.e-]+$/);
    }
    await screenshot(page, "wasm-demo-keyness.png");
    // A column that is not there: an error on the page, not in the console.
    await page.fill("#textColumn", "remarks");
    await page.click("#keyness");
    await page.waitForSelector("#error:not(:empty)");
    assert.match(await page.textContent("#error"), /No column remarks/);
    assert.deepEqual(problems, []);
  });
});
