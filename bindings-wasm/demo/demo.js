// The demo page: parse a CSV, score it with @cemscore/wasm, show the score and the segment table.
import init, * as cem from "../pkg/cemscore_wasm.js";

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
  const fill = (sel, first) => {
    const keep = sel.value;
    sel.innerHTML = first + header.map((h) => `<option>${h}</option>`).join("");
    if (header.includes(keep)) sel.value = keep;
    return header.includes(keep);
  };
  const kept = fill($("answer"), "");
  fill($("segment"), '<option value="">(none)</option>');
  // A column named like the metric ("nps", "csat", "ces") is the likely answer column.
  const guess = header.find((h) => h.toLowerCase() === $("metric").value);
  if (guess && !kept) $("answer").value = guess;
}

const fmt = (v, d = 1) => (v === null || v === undefined ? "–" : v.toFixed(d));

function score() {
  $("error").textContent = "";
  $("score").textContent = "";
  $("table").innerHTML = "";
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
    $("score").innerHTML = `<strong id="value">${metric.toUpperCase()} ${fmt(e.value, metric === "ces" ? 2 : 1)}</strong>${unit} ` +
      `<span id="interval">95% interval [${fmt(e.interval.lower, 2)}, ${fmt(e.interval.upper, 2)}]</span> (${e.interval.method}), n = ${e.n}`;
    const s = header.indexOf($("segment").value);
    if (s >= 0) {
      const b = cem.benchmark(rows.map((r) => r[s]), answers, { metric, missing: "skip" });
      const tr = b.rows.map((r) => {
        const cls = r.low_n ? "low" : r.significant ? r.side : "";
        const mark = r.significant ? (r.side === "above" ? "▲ higher" : "▼ lower") : r.low_n ? "low n" : "";
        return `<tr class="${cls}" data-key="${r.key}"><td>${r.key}</td><td>${r.n}</td><td>${fmt(r.value)}</td>` +
          `<td>[${fmt(r.lower)}, ${fmt(r.upper)}]</td><td>${fmt(r.difference)}</td><td>${r.adjusted_p_value === null ? "–" : r.adjusted_p_value.toPrecision(2)}</td><td>${mark}</td></tr>`;
      }).join("");
      $("table").innerHTML = `<table id="segments"><tr><th>${header[s]}</th><th>n</th><th>score</th><th>95% interval</th>` +
        `<th>vs rest</th><th>Holm p</th><th></th></tr>${tr}</table>`;
    }
  } catch (err) {
    $("error").textContent = err.code ? `Cannot score: ${err.message}` : err.message;
  }
}

$("csv").addEventListener("input", refreshColumns);
$("metric").addEventListener("change", refreshColumns);
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
