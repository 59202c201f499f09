// A consolidation as the API returns it: one table per statement type, its periods newest first,
// each line's values, its variance between each pair of periods (amount and percent) and its trend.

import { h } from "../dom.js";
import { amount, scaleWords, TYPE_NAMES } from "./statement.js";

const PERCENT = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });

function variance(v) {
  if (!v) return [h("td", { class: "num", text: "—" }), h("td", { class: "num", text: "—" })];
  const sign = v.absolute > 0 ? "up" : v.absolute < 0 ? "down" : "";
  return [
    h("td", { class: `num ${sign}`, text: v.absolute === null ? "—" : (v.absolute > 0 ? "+" : "") + amount(v.absolute) }),
    h("td", { class: `num ${sign}`, text: v.percent === null ? "—" : PERCENT.format(v.percent) }),
  ];
}

function table(statement) {
  const pairs = statement.periods.slice(0, -1).map((current, i) => [current, statement.periods[i + 1]]);
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", text: "Line" }),
    statement.periods.map((p) => h("th", { scope: "col", class: "num", text: p })),
    pairs.flatMap(([current, prior]) => [h("th", { scope: "col", class: "num", text: `${current} vs ${prior}` }), h("th", { scope: "col", class: "num", text: "%" })]),
    h("th", { scope: "col", text: "Trend" }),
  );
  const body = statement.lines.map((line) => {
    const found = new Map(line.variances.map((v) => [`${v.current}|${v.prior}`, v]));
    const printed = Object.entries(line.labels || {})
      .filter(([, text]) => text !== line.label)
      .map(([period, text]) => `${period}: ${text}`);
    return h(
      "tr",
      { class: line.is_total ? "total" : "" },
      h("th", { scope: "row", class: "label", style: { paddingLeft: `${0.6 + 1.25 * line.level}rem` }, title: printed.length ? `Printed as ${printed.join("; ")}` : null }, line.label),
      statement.periods.map((p) => h("td", { class: "num", text: amount(line.values[p]) })),
      pairs.flatMap(([current, prior]) => variance(found.get(`${current}|${prior}`))),
      h("td", { text: line.trend || "—" }),
    );
  });
  const failed = statement.checks.filter((c) => !c.ok).length;
  const caption = `${TYPE_NAMES[statement.statement_type] || statement.statement_type} · ${statement.currency || "currency unknown"} in ${scaleWords(statement.scale)}`;
  return h(
    "section",
    { class: "consolidated", "aria-label": TYPE_NAMES[statement.statement_type] || statement.statement_type },
    h("h3", { text: caption }),
    statement.checks.length ? h("p", { class: failed ? "error" : "muted", text: `${statement.checks.length - failed} of ${statement.checks.length} checks pass` }) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "list lines", "aria-label": `Consolidated ${TYPE_NAMES[statement.statement_type] || statement.statement_type}` }, h("thead", {}, head), h("tbody", {}, body))),
  );
}

export function consolidationView(result) {
  return h("div", {}, result.statements.map(table));
}
