// Building the page from data that customers typed (column headers, segment keys, dates, comments): every
// value goes into the DOM as text or as an attribute's value, never as markup, so `<img src=x onerror=…>`
// in a CSV shows as those characters. Every panel builds its elements with `h` (HTML) and `svg` (SVG);
// nothing assigns `innerHTML`. The page's Content-Security-Policy (index.html) forbids inline script too.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Sets each attribute (skipping null, undefined and false) and appends each child: a node, or text. */
function build(e, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== null && value !== undefined && value !== false) e.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) e.append(child instanceof Node ? child : String(child));
  }
  return e;
}

/** An HTML element: `h("td", { class: "low" }, "North", …)`; strings and numbers become text nodes. */
export const h = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);

/** An SVG element, as `h`. */
export const svg = (tag, attributes, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

/** A table: one header row of `columns`, then each row as `[attributes, cells]`. */
export const table = (attributes, columns, rows) =>
  h("table", attributes, h("tr", {}, columns.map((c) => h("th", {}, c))),
    rows.map(([rowAttributes, cells]) => h("tr", rowAttributes, cells.map((c) => h("td", {}, c)))));
