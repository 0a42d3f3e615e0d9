// The demo page: parse a CSV, score it with @cemscore/wasm, show the score, the segment table and, with a
// date column, the trend as an SVG chart (no chart library); the key drivers; the data-driven segments; what the comments say. The DOM
// is built with dom.js: data stays text. The page loads the lean module at start and the analytics module
// when a panel first needs it.
import init, * as cem from "../index.js";
import { h, svg, table } from "./dom.js";

const $ = (id) => document.getElementById(id);
await init();

/** Parses CSV text (quoted fields allowed) into a header and rows; throws with the line of a bad row. */
function parseCsv(text) {
  const lines = text.replace(/\r/g, "").split("\n").filter((l) => l.trim() !== "");
  if (lines.length < 2) throw new Error("The CSV needs a header row and at least one row of answers.");
  const split = (line) => {
    const out = [];
    let cur = "", quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = !quoted;
      else if (c === "," && !quoted) { out.push(cur); cur = ""; }
      else cur += c;
    }
    out.push(cur);
    return out.map((s) => s.trim());
  };
  const header = split(lines[0]);
  const rows = lines.slice(1).map((l, i) => {
    const r = split(l);
    if (r.length !== header.length) throw new Error(`Line ${i + 2} has ${r.length} fields but the header has ${header.length}.`);
    return r;
  });
  return { header, rows };
}

function refreshColumns() {
  let header = [];
  try { header = parseCsv($("csv").value).header; } catch { /* shown when scoring */ }
  const fill = (sel, none) => {
    const keep = sel.value;
    sel.replaceChildren(...(none ? [h("option", { value: "" }, "(none)")] : []), ...header.map((c) => h("option", {}, c)));
    if (header.includes(keep)) sel.value = keep;
    return header.includes(keep);
  };
  const kept = fill($("answer"), false);
  fill($("segment"), true);
  const keptDate = fill($("date"), true);
  // A column named like a date is the likely date column.
  const date = header.find((h) => /date|day|time/i.test(h));
  if (date && !keptDate) $("date").value = date;
  // A column named like the metric ("nps", "csat", "ces") is the likely answer column.
  const guess = header.find((h) => h.toLowerCase() === $("metric").value);
  if (guess && !kept) $("answer").value = guess;
}

const COLORS = ["#1a73e8", "#d93025", "#188038", "#f29900", "#9334e6", "#12b5cb"];

/** The trend as an SVG chart and what changed: each series with its interval band, ▲▼ at the significant changes. */
function trendChart(t, metric) {
  const [w, height, left, right, top, bottom] = [900, 320, 48, 110, 16, 44];
  const valued = t.rows.filter((r) => r.value !== null);
  const lo = Math.min(...valued.map((r) => r.lower)), hi = Math.max(...valued.map((r) => r.upper));
  const x = (i) => left + (t.periods.length === 1 ? 0 : (i * (w - left - right)) / (t.periods.length - 1));
  const y = (v) => top + ((hi - v) * (height - top - bottom)) / (hi - lo || 1);
  const series = t.segments.length ? t.segments : [null];
  const chart = svg("svg", { width: w, height: height, role: "img", "aria-label": `${metric.toUpperCase()} by ${t.every}` },
    svg("line", { class: "axis", x1: left, y1: height - bottom, x2: w - right, y2: height - bottom }));
  for (const v of [lo, (lo + hi) / 2, hi]) chart.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, fmt(v)));
  const step = Math.max(1, Math.ceil(t.periods.length / 12));
  t.periods.forEach((p, i) => {
    if (i % step === 0) chart.append(svg("text", { x: x(i), y: height - bottom + 16, "text-anchor": "middle" }, p));
  });
  series.forEach((key, k) => {
    const color = COLORS[k % COLORS.length];
    const rows = t.rows.filter((r) => r.segment === key);
    // Runs of periods with a value: a gap (a period with no answers) breaks the line and the band.
    const runs = [];
    rows.forEach((r, i) => {
      if (r.value === null) return;
      if (!runs.length || rows[i - 1]?.value === null) runs.push([]);
      runs.at(-1).push([i, r]);
    });
    const name = key ?? metric.toUpperCase();
    for (const run of runs) {
      const upper = run.map(([i, r]) => `${x(i)},${y(r.upper)}`), lower = run.map(([i, r]) => `${x(i)},${y(r.lower)}`).reverse();
      chart.append(svg("polygon", { class: "band", "data-series": name, fill: color, points: [...upper, ...lower].join(" ") }),
        svg("polyline", { class: "line", "data-series": name, stroke: color, points: run.map(([i, r]) => `${x(i)},${y(r.value)}`).join(" ") }));
    }
    rows.forEach((r, i) => {
      if (!r.significant) return;
      const up = r.side === "above";
      chart.append(svg("text", { class: "mark", "data-series": name, "data-period": r.period, x: x(i), y: y(r.value) + (up ? -7 : 15),
        "text-anchor": "middle", fill: color }, up ? "▲" : "▼"));
    });
    const last = rows.findLast((r) => r.value !== null);
    if (last) chart.append(svg("text", { x: w - right + 6, y: y(last.value) + 4, fill: color }, name));
  });
  const changed = t.changed.map((r) => `${r.segment ?? ""} ${r.difference > 0 ? "+" : ""}${fmt(r.difference)}`).join(", ");
  return [chart, h("p", { id: "changed" }, `What changed in ${t.periods.at(-1)}: ${changed || "no significant change"}` +
    ` (each period against the previous, ${t.correction} across ${t.summary.tested} tested cells).`)];
}

const fmt = (v, d = 1) => (v === null || v === undefined ? "–" : v.toFixed(d));

function score() {
  $("error").textContent = "";
  $("score").replaceChildren();
  $("table").replaceChildren();
  $("trend").replaceChildren();
  try {
    const { header, rows } = parseCsv($("csv").value);
    const a = header.indexOf($("answer").value);
    if (a < 0) throw new Error("Pick the answer column.");
    const answers = rows.map((r) => (r[a] === "" ? null : Number(r[a])));
    const bad = answers.findIndex((v) => v !== null && Number.isNaN(v));
    if (bad >= 0) throw new Error(`Row ${bad + 1}: "${rows[bad][a]}" in column ${header[a]} is not a number.`);
    const metric = $("metric").value;
    const e = cem[metric](answers, { missing: "skip" });
    const unit = metric === "ces" ? "" : metric === "nps" ? " points" : "%";
    $("score").replaceChildren(h("strong", { id: "value" }, `${metric.toUpperCase()} ${fmt(e.value, metric === "ces" ? 2 : 1)}`),
      `${unit} `, h("span", { id: "interval" }, `95% interval [${fmt(e.interval.lower, 2)}, ${fmt(e.interval.upper, 2)}]`),
      ` (${e.interval.method}), n = ${e.n}`);
    const s = header.indexOf($("segment").value);
    if (s >= 0) {
      const b = cem.benchmark(rows.map((r) => r[s]), answers, { metric, missing: "skip" });
      const segmentRows = b.rows.map((r) => {
        const mark = r.significant ? (r.side === "above" ? "▲ higher" : "▼ lower") : r.low_n ? "low n" : "";
        return [{ class: r.low_n ? "low" : r.significant ? r.side : null, "data-key": r.key },
          [r.key, r.n, fmt(r.value), `[${fmt(r.lower)}, ${fmt(r.upper)}]`, fmt(r.difference),
            r.adjusted_p_value === null ? "–" : r.adjusted_p_value.toPrecision(2), mark]];
      });
      $("table").replaceChildren(table({ id: "segments" }, [header[s], "n", "score", "95% interval", "vs rest", "Holm p", ""], segmentRows));
    }
    const d = header.indexOf($("date").value);
    if (d >= 0) {
      const options = { metric, missing: "skip", every: $("every").value };
      if (s >= 0) options.segments = rows.map((r) => r[s]);
      $("trend").replaceChildren(...trendChart(cem.trend(rows.map((r) => r[d] || null), answers, options), metric));
    }
  } catch (err) {
    $("error").textContent = err.code ? `Cannot score: ${err.message}` : err.message;
  }
}

// Key drivers of the answer column: the table and the importance × performance map (an SVG chart).
async function keyDrivers() {
  $("error").textContent = "";
  $("driversOut").replaceChildren();
  try {
    await cem.loadAnalytics();
    const { header, rows } = parseCsv($("csv").value);
    const outcome = $("answer").value;
    const names = $("drivers").value.split(",").map((s) => s.trim()).filter(Boolean);
    if (!header.includes(outcome)) throw new Error("Pick the answer column.");
    const columns = {};
    for (const name of [outcome, ...names]) {
      const c = header.indexOf(name);
      if (c < 0) throw new Error(`No column ${name}; the columns are ${header.join(", ")}.`);
      columns[name] = rows.map((r) => (r[c] === "" ? null : Number(r[c])));
    }
    const r = cem.drivers(columns, {
      outcome, drivers: names, missing: "skip", ...($("npsScore").checked ? { outcome_score: "nps" } : {}),
    });
    const driverRows = r.drivers.map((d) => [{ "data-driver": d.driver },
      [d.driver, `${fmt(d.share)}%`, d.rank, `${fmt(d.mean, 2)} [${fmt(d.mean_lower, 2)}, ${fmt(d.mean_upper, 2)}]`, d.quadrant.replace("_", " ")]]);
    $("driversOut").replaceChildren(h("p", { id: "r2" }, `R² = ${r.r2.toFixed(3)}, n = ${r.n} (${r.method})`),
      table({ id: "driversTable" }, ["driver", "share of R²", "rank", "mean [95%]", "quadrant"], driverRows), quadrantMap(r));
  } catch (err) {
    $("error").textContent = err.code ? `Cannot analyse: ${err.message}` : err.message;
  }
}

/** The importance × performance map as SVG: x = mean rating, y = share of R², split at the means. */
function quadrantMap(r) {
  const W = 520, H = 340, pad = 50;
  const xs = r.drivers.map((d) => d.mean), ys = r.drivers.map((d) => d.share);
  const [x0, x1] = [Math.min(...xs, r.performance_split) - 0.2, Math.max(...xs, r.performance_split) + 0.2];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys) * 1.15 + 1];
  const X = (v) => pad + ((v - x0) / (x1 - x0)) * (W - 2 * pad);
  const Y = (v) => H - pad - ((v - y0) / (y1 - y0)) * (H - 2 * pad);
  const ySplit = 100 / r.drivers.length;
  const label = (x, y, text, more) => svg("text", { x, y, ...more }, text);
  const fill = { fix_first: "#c5221f", keep: "#188038" };
  return svg("svg", { id: "map", width: W, height: H, role: "img", "aria-label": "importance × performance map" },
    svg("line", { class: "split", x1: X(r.performance_split), y1: pad / 2, x2: X(r.performance_split), y2: H - pad }),
    svg("line", { class: "split", x1: pad, y1: Y(ySplit), x2: W - pad / 2, y2: Y(ySplit) }),
    label(pad, pad / 2, "fix first"), label(W - pad - 30, pad / 2, "keep"),
    label(pad + 4, Y(ySplit) + 16, "low priority"), label(W - pad - 50, Y(ySplit) + 16, "overkill"),
    svg("line", { x1: pad, y1: H - pad, x2: W - pad / 2, y2: H - pad, stroke: "#333" }),
    svg("line", { x1: pad, y1: pad / 2, x2: pad, y2: H - pad, stroke: "#333" }),
    label(W / 2 - 70, H - 12, "performance (mean rating)"),
    label(undefined, undefined, "importance (% of R²)", { transform: `translate(14 ${H / 2 + 50}) rotate(-90)` }),
    r.drivers.map((d) => [
      svg("circle", { cx: X(d.mean), cy: Y(d.share), r: 6, fill: fill[d.quadrant] ?? "#5f6368" }),
      label(X(d.mean) + 9, Y(d.share) + 4, d.driver),
    ]));
}

// Data-driven segments: every slice of the attribute columns up to the depth against its rest, the p-values
// adjusted over the whole family; productive slices marked, the others name the parent that explains them.
async function segments() {
  $("error").textContent = "";
  $("discoverOut").replaceChildren();
  try {
    await cem.loadAnalytics();
    const { header, rows } = parseCsv($("csv").value);
    const answer = $("answer").value;
    const attributes = $("attributes").value.split(",").map((s) => s.trim()).filter(Boolean);
    if (!header.includes(answer)) throw new Error("Pick the answer column.");
    const columns = {};
    for (const name of [answer, ...attributes]) {
      const c = header.indexOf(name);
      if (c < 0) throw new Error(`No column ${name}; the columns are ${header.join(", ")}.`);
      columns[name] = rows.map((r) => (r[c] === "" ? null : name === answer ? Number(r[c]) : r[c]));
    }
    const metric = $("metric").value;
    const d = cem.discover(columns, {
      answer, attributes, metric, depth: Number($("depth").value), show: $("show").value, missing: "skip",
    });
    const s = d.summary;
    const sliceRows = d.rows.map((r) => [{ class: r.side, "data-slice": r.slice },
      [r.slice, r.n, fmt(r.value), `[${fmt(r.lower)}, ${fmt(r.upper)}]`, fmt(r.rest_value),
        `${r.difference > 0 ? "+" : ""}${fmt(r.difference)} [${fmt(r.difference_lower)}, ${fmt(r.difference_upper)}]`,
        r.adjusted_p_value.toPrecision(2), r.productive ? "productive" : r.explained_by ? `explained by ${r.explained_by}` : ""]]);
    $("discoverOut").replaceChildren(
      h("p", { id: "family" }, `${s.m} slices tested up to depth ${s.depth} (each, and its rest, with at least ${s.min_n} answers); ` +
        `${s.correction} over all ${s.m}: ${s.significantly_above} significantly above, ${s.significantly_below} below, ` +
        `${s.productive} productive. Overall ${metric.toUpperCase()} ${fmt(d.overall.value)}.`),
      s.reason ? h("p", { id: "reason" }, s.reason) : null,
      table({ id: "slices" }, ["slice", "n", "score", "95% interval", "rest", "vs rest [95%]", `${s.correction} p`, ""], sliceRows));
  } catch (err) {
    $("error").textContent = err.code ? `Cannot search: ${err.message}` : err.message;
  }
}

// What customers say: keyness of the comment column, the answer's worst category against its best
// (detractors against promoters for NPS); rows with no answer are left out.
async function comments() {
  $("error").textContent = "";
  $("keynessOut").replaceChildren();
  try {
    await cem.loadAnalytics();
    const { header, rows } = parseCsv($("csv").value);
    const answer = $("answer").value;
    const text = $("textColumn").value.trim() || "comment";
    if (!header.includes(answer)) throw new Error("Pick the answer column.");
    const c = header.indexOf(text);
    if (c < 0) throw new Error(`No column ${text}; the columns are ${header.join(", ")}.`);
    const a = header.indexOf(answer);
    const k = cem.keyness(rows.map((r) => (r[c] === "" ? null : r[c])), null, {
      answers: rows.map((r) => (r[a] === "" ? null : Number(r[a]))), metric: $("metric").value, missing: "skip",
    });
    const termRows = k.terms.slice(0, 25).map((t) => [{ class: t.side, "data-term": t.term },
      [t.term, fmt(t.target_rate), fmt(t.reference_rate),
        `${t.difference > 0 ? "+" : ""}${fmt(t.difference)} [${fmt(t.difference_lower)}, ${fmt(t.difference_upper)}]`,
        t.q_value === null ? "–" : t.q_value.toPrecision(2), t.log_odds.toFixed(2)]]);
    $("keynessOut").replaceChildren(
      h("p", { id: "keynessSummary" }, `${k.target} (${k.target_texts} comments) against ${k.reference} ` +
        `(${k.reference_texts} comments): ${k.tested} terms tested${k.low_n ? " (a group is under 30 comments: not tested)" : ""}.`),
      table({ id: "terms" }, ["term", `${k.target} %`, `${k.reference} %`, "difference [95%]", "q", "log odds"], termRows));
  } catch (err) {
    $("error").textContent = err.code ? `Cannot read the comments: ${err.message}` : err.message;
  }
}

$("keyness").addEventListener("click", comments);
$("discover").addEventListener("click", segments);
$("keyDrivers").addEventListener("click", keyDrivers);
$("csv").addEventListener("input", refreshColumns);
$("metric").addEventListener("change", refreshColumns);
$("every").addEventListener("change", score);
$("run").addEventListener("click", score);
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  $("csv").value = await e.dataTransfer.files[0].text();
  refreshColumns();
});
document.body.dataset.ready = "true";
