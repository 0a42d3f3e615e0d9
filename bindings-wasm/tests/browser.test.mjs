// The demo page in Debian's Chromium (driven by playwright-core), served from 127.0.0.1: it scores a
// pasted CSV in the browser, shows the numbers the conformance vectors expect, marks significant
// segments, and reports a malformed CSV on the page rather than in the console. Saves a screenshot.
import test from "node:test";
import assert from "node:assert/strict";
import { paste, screenshot, withDemo } from "./chromium.mjs";
import { cases } from "./vectors.mjs";

// A CSV whose NPS answers are exactly those of a conformance vector, plus a segment column.
const vector = cases.find((c) => c.name === "nps_adjusted_wald_n30_typical");
function csvFromCounts(counts) {
  const lines = ["region,nps"];
  counts.forEach((n, answer) => {
    for (let i = 0; i < n; i++) lines.push(`${answer >= 9 ? "North" : "South"},${answer}`);
  });
  return lines.join("\n");
}

test("the demo scores a CSV in Chromium and reports a malformed one on the page", async () => {
  await withDemo({ width: 1000, height: 700 }, async ({ page, problems }) => {

    await paste(page, "#csv", csvFromCounts(vector.input.counts));
    await page.selectOption("#answer", "nps");
    await page.selectOption("#segment", "region");
    await page.click("#run");
    const e = vector.expected;
    assert.equal(await page.textContent("#value"), `NPS ${e.value.toFixed(1)}`);
    assert.equal(await page.textContent("#interval"), `95% interval [${e.lower.toFixed(2)}, ${e.upper.toFixed(2)}]`);
    assert.equal(await page.locator("#segments tr[data-key]").count(), 2);
    // 12 and 18 answers: below the minimum n of 30, so flagged and not tested.
    assert.match(await page.textContent('#segments tr[data-key="North"]'), /low n/);

    // A larger file where the regions really differ: significance marks on screen.
    const big = ["region,nps"];
    for (let i = 0; i < 120; i++) big.push(`North,${[10, 9, 9, 8][i % 4]}`, `South,${[3, 6, 8, 9][i % 4]}`, `East,${[10, 7, 6, 9][i % 4]}`);
    await paste(page, "#csv", big.join("\n"));
    await page.selectOption("#answer", "nps");
    await page.selectOption("#segment", "region");
    await page.click("#run");
    assert.match(await page.textContent('#segments tr[data-key="North"]'), /▲ higher/);
    assert.match(await page.textContent('#segments tr[data-key="South"]'), /▼ lower/);
    await screenshot(page, "wasm-demo.png");

    // A date column: the trend per region as an SVG chart, North's March rise marked, a gap kept empty.
    const dated = ["date,region,nps"];
    for (const [month, north] of [["01", [10, 6, 8, 3]], ["02", [10, 6, 8, 3]], ["04", [10, 10, 9, 8]]]) {
      for (let i = 0; i < 60; i++) {
        const day = `2025-${month}-${String(1 + (i % 28)).padStart(2, "0")}`;
        dated.push(`${day},North,${north[i % 4]}`, `${day},South,${[9, 6, 8, 3][i % 4]}`);
      }
    }
    await paste(page, "#csv", dated.join("\n"));
    await page.selectOption("#answer", "nps");
    await page.selectOption("#segment", "region");
    assert.equal(await page.inputValue("#date"), "date"); // guessed from its name
    await page.click("#run");
    assert.equal(await page.locator("#trend polyline.line").count(), 4); // 2 regions × 2 runs (March is empty)
    assert.equal(await page.locator("#trend polygon.band").count(), 4);
    // April against March: March had no answers, so nothing is tested and nothing is marked.
    assert.equal(await page.locator("#trend text.mark").count(), 0);
    await page.selectOption("#every", "quarter");
    assert.equal(await page.locator('#trend text.mark[data-series="North"][data-period="2025-Q2"]').count(), 1);
    assert.match(await page.textContent("#changed"), /What changed in 2025-Q2: North \+/);
    await screenshot(page, "wasm-demo-trend.png");

    await paste(page, "#csv", "region,nps\nNorth,10\nSouth");
    await page.click("#run");
    assert.match(await page.textContent("#error"), /Line 3 has 1 fields but the header has 2/);
    await paste(page, "#csv", "region,nps\nNorth,10\nSouth,6.5");
    await page.click("#run");
    assert.match(await page.textContent("#error"), /6\.5.*not a whole number/);
    assert.equal(await page.textContent("#score"), "");
    assert.deepEqual(problems, []);
  });
});
