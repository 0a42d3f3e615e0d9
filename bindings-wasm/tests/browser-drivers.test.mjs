// The demo page's key drivers in Debian's Chromium: the survey's attribute ratings in, the driver table
// and the importance × performance map (an SVG chart) out, the same numbers as the package gives in Node.
// Saves a screenshot to target/screenshots/wasm-demo-drivers.png.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { paste, screenshot, withDemo } from "./chromium.mjs";
import { drivers } from "../node.js";

// The first 3,000 rows of the bundled survey: nps and the four attribute ratings (effects built in by
// examples/generate_survey.py: ease fix first, speed keep).
const lines = readFileSync(new URL("../../examples/survey.csv", import.meta.url), "utf8").trim().split("\n").slice(0, 3001);
const header = lines[0].trim().split(",");
const keep = ["nps", "ease", "speed", "price", "agent"].map((c) => header.indexOf(c));
const csv = lines.map((l) => { const f = l.trim().split(","); return keep.map((i) => f[i]).join(","); }).join("\n");

test("the demo finds the key drivers in Chromium and draws the importance × performance map", async () => {
  const columns = { nps: [], ease: [], speed: [], price: [], agent: [] };
  for (const l of csv.split("\n").slice(1)) {
    l.split(",").forEach((v, j) => columns[Object.keys(columns)[j]].push(v === "" ? null : Number(v)));
  }
  const expected = drivers(columns, { outcome: "nps", drivers: ["ease", "speed", "price", "agent"], missing: "skip", outcome_score: "nps" });
  await withDemo({ width: 1000, height: 900 }, async ({ page, problems, fetched }) => {
    await paste(page, "#csv", csv);
    await page.selectOption("#answer", "nps");
    await page.click("#run");
    // Scoring uses the lean module only: the analytics module is fetched when the drivers panel needs it.
    assert.match(await page.textContent("#value"), /^NPS /);
    const analytics = () => fetched.filter((p) => p.endsWith("/pkg/cemscore_analytics_bg.wasm")).length;
    assert.ok(fetched.some((p) => p.endsWith("/pkg/cemscore_wasm_bg.wasm")), fetched.join(" "));
    assert.equal(analytics(), 0, fetched.join(" "));
    await page.fill("#drivers", "ease,speed,price,agent");
    await page.click("#keyDrivers");
    await page.waitForSelector("#r2");
    assert.equal(await page.textContent("#r2"), `R² = ${expected.r2.toFixed(3)}, n = ${expected.n} (lmg)`);
    assert.match(await page.textContent('#driversTable tr[data-driver="ease"]'), /fix first/);
    assert.match(await page.textContent('#driversTable tr[data-driver="speed"]'), /keep/);
    assert.equal(await page.locator("#map circle").count(), 4);
    await screenshot(page, "wasm-demo-drivers.png");
    await page.fill("#drivers", "ease,nope");
    await page.click("#keyDrivers");
    await page.waitForSelector("#error:not(:empty)");
    assert.match(await page.textContent("#error"), /No column nope/);
    assert.equal(analytics(), 1, "the analytics module is fetched once");
    assert.deepEqual(problems, []);
  });
});
