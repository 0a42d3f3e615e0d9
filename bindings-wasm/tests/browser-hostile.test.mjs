// Survey data is typed by customers: the demo page shows hostile column headers, segment keys, dates and
// driver names as text. Each payload would call `pwned(n)` if it ran as markup; the test asserts none ran,
// no element came from the data, the page reported no error (a blocked inline script would be one: the
// page's Content-Security-Policy allows none), and each value reads back character for character.
import test from "node:test";
import assert from "node:assert/strict";
import { paste, withDemo } from "./chromium.mjs";

const DATE = "date<img src=x onerror=pwned(1)>";
const REGION = "region<script>pwned(2)</script>";
const NPS = "nps<b onmouseover=pwned(3)>";
const EASE = "ease<img src=x onerror=pwned(4)>";
const SPEED = "speed<svg onload=pwned(5)>";
const KEYS = ["<img src=x onerror=pwned(6)>", "</td><iframe src=javascript:pwned(7)></iframe>"];
const BAD_DATE = "<img src=x onerror=pwned(8)>";
const NO_SUCH = "<svg><script>pwned(9)</script></svg>";

/** 240 answers over three months for both keys, the ratings tied to the answer. */
function survey() {
  const lines = [[DATE, REGION, NPS, EASE, SPEED].join(",")];
  for (let i = 0; i < 240; i++) {
    const nps = [10, 9, 7, 3, 8, 6][i % 6] - (i % 2 === 0 && i > 160 ? 3 : 0);
    const day = `2025-0${1 + Math.floor(i / 80)}-${String(1 + (i % 28)).padStart(2, "0")}`;
    lines.push([day, KEYS[i % 2], nps, 1 + Math.round(nps / 2.5), 1 + ((i * 7) % 5)].join(","));
  }
  return lines.join("\n");
}

/** Elements or attributes a payload would have made. */
const injected = (page) => page.evaluate(() =>
  document.querySelectorAll("body img, body iframe, body b, body script:not([src]), [onerror], [onload], [onmouseover]").length);

test("the demo shows hostile headers, keys, dates and driver names as text and runs none of them", async () => {
  await withDemo({ width: 1000, height: 900 }, async ({ page, problems }) => {
    await page.evaluate(() => { window.ran = []; window.pwned = (n) => window.ran.push(n); });
    await paste(page, "#csv", survey());
    assert.deepEqual(await page.$$eval("#answer option", (os) => os.map((o) => o.textContent)), [DATE, REGION, NPS, EASE, SPEED]);
    await page.selectOption("#answer", NPS);
    await page.selectOption("#segment", REGION);
    assert.equal(await page.inputValue("#date"), DATE); // guessed from its name, as any other
    await page.selectOption("#every", "month");
    await page.click("#run");
    assert.equal(await page.textContent("#error"), "");

    // The segment table: the header and each key as text, the key also as the row's attribute.
    assert.equal(await page.textContent("#segments th"), REGION);
    const rows = await page.$$eval("#segments tr[data-key]", (trs) => trs.map((tr) => [tr.dataset.key, tr.cells[0].textContent]));
    assert.deepEqual(rows.map(([k]) => k).sort(), [...KEYS].sort());
    for (const [key, cell] of rows) assert.equal(cell, key);
    // The trend chart: each series named by its key, as text and as attribute.
    const labels = await page.$$eval("#trend svg text", (ts) => ts.map((t) => t.textContent));
    for (const key of KEYS) assert.ok(labels.includes(key), `${key} not among the chart's labels ${labels}`);
    const series = await page.$$eval("#trend polyline", (ls) => ls.map((l) => l.dataset.series));
    assert.deepEqual([...new Set(series)].sort(), [...KEYS].sort());

    // Key drivers: the names in the table and on the map.
    await page.fill("#drivers", `${EASE},${SPEED}`);
    await page.click("#keyDrivers");
    await page.waitForSelector("#driversTable, #error:not(:empty)"); // the analytics module loads first
    assert.equal(await page.textContent("#error"), "");
    assert.deepEqual(await page.$$eval("#driversTable tr[data-driver]", (trs) => trs.map((tr) => tr.cells[0].textContent)).then((d) => d.sort()),
      [EASE, SPEED].sort());
    const mapLabels = await page.$$eval("#map text", (ts) => ts.map((t) => t.textContent));
    assert.ok(mapLabels.includes(EASE) && mapLabels.includes(SPEED), mapLabels.join(" | "));
    // An unknown driver: named in the error, as text.
    await page.fill("#drivers", NO_SUCH);
    await page.click("#keyDrivers");
    await page.waitForSelector("#error:not(:empty)");
    assert.ok((await page.textContent("#error")).includes(`No column ${NO_SUCH}`));

    // A date that is not one: the error quotes it, as text.
    await paste(page, "#csv", survey().replace("\n2025-01-02,", `\n${BAD_DATE},`));
    await page.selectOption("#answer", NPS);
    await page.click("#run");
    assert.ok((await page.textContent("#error")).includes(BAD_DATE), await page.textContent("#error"));

    await page.waitForTimeout(300); // an injected image's onerror fires once its request fails
    assert.equal(await injected(page), 0);
    assert.deepEqual(await page.evaluate(() => window.ran), []);
    assert.deepEqual(problems, []);
  });
});
