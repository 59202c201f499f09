// One financial statement as the API returns it: its lines (label indented by level, totals in
// bold, a value per period, note references) beside the pages it was read from, and its checks.
// A value is a button that shows the cell it was read from on its page; a failed check marks the
// lines it involves.

import { get } from "../api.js";
import { errorBox, h } from "../dom.js";
import { pageViewer } from "./pages.js";

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export const TYPE_NAMES = {
  income_statement: "Income statement",
  balance_sheet: "Balance sheet",
  cash_flow: "Cash flow statement",
  equity: "Changes in equity",
};

const CHECK_NAMES = {
  sum: "adds up",
  balance_sheet_equation: "assets = liabilities + equity",
  across: "adds up across",
};

export function amount(value) {
  return value === null || value === undefined ? "—" : NUMBER.format(value);
}

export function scaleWords(scale) {
  return { 1: "units", 1000: "thousands", 1000000: "millions" }[scale] || `× ${scale}`;
}

// Every value with a cell on a page, as the page viewer's boxes: index i is citation i.
function citationsOf(statement) {
  const citations = [];
  statement.lines.forEach((line, lineIndex) => {
    for (const period of statement.periods) {
      const cell = line.citation?.values?.[period];
      if (!cell) continue;
      const [left, top, width, height] = cell.bbox;
      citations.push({
        index: citations.length,
        line: lineIndex,
        period,
        type: "Table",
        path: `${line.label} · ${period}`,
        content: amount(line.values[period]),
        bbox: { page: cell.page, left, top, width, height },
      });
    }
  });
  return citations;
}

export function statementView(statement, { onError } = {}) {
  const citations = citationsOf(statement);
  const byCell = new Map(citations.map((c) => [`${c.line}|${c.period}`, c.index]));
  const failed = statement.checks.filter((check) => !check.ok);
  const involved = new Set(failed.flatMap((check) => [check.line, ...check.lines]));
  const checked = new Set(failed.map((check) => check.line));
  const rows = [];
  const buttons = new Map();
  let pages = null;
  let selected = null;

  const detail = h("div", { class: "detail", "aria-live": "polite" }, h("span", { class: "muted", text: "Click a value to see where it was printed." }));

  function select(index, from) {
    if (selected !== null) buttons.get(selected)?.classList.remove("selected");
    selected = index;
    const citation = citations[index];
    const button = buttons.get(index);
    button?.classList.add("selected");
    if (from !== "table") button?.scrollIntoView({ block: "center", behavior: "smooth" });
    pages?.select(index, { scroll: from !== "page" });
    detail.replaceChildren(
      h("strong", { text: statement.lines[citation.line].label }),
      h("span", { class: "muted", text: ` · ${citation.period} · page ${citation.bbox.page}` }),
      h("p", { text: citation.content }),
    );
  }

  const head = h(
    "tr",
    {},
    h("th", { scope: "col", text: "Line" }),
    h("th", { scope: "col", text: "Note" }),
    statement.periods.map((period) => h("th", { scope: "col", class: "num", text: period })),
  );
  const body = h("tbody");
  statement.lines.forEach((line, lineIndex) => {
    const classes = [line.is_total ? "total" : "", involved.has(line.label) ? "involved" : "", checked.has(line.label) ? "failed" : ""];
    const cells = statement.periods.map((period) => {
      const value = line.values[period];
      const index = byCell.get(`${lineIndex}|${period}`);
      if (index === undefined || value === null || value === undefined) return h("td", { class: "num", text: amount(value) });
      const button = h("button", {
        type: "button",
        class: "value",
        text: amount(value),
        dataset: { citation: index, period },
        "aria-label": `${line.label}, ${period}: ${amount(value)}. Show it on page ${citations[index].bbox.page}`,
        onclick: () => select(index, "table"),
      });
      buttons.set(index, button);
      return h("td", { class: "num" }, button);
    });
    const label = h("th", { scope: "row", class: "label", style: { paddingLeft: `${0.6 + 1.25 * line.level}rem` } }, line.label);
    if (checked.has(line.label)) label.append(h("span", { class: "flag", text: " ✗ check fails" }));
    const row = h("tr", { class: classes.filter(Boolean).join(" "), dataset: { line: lineIndex, level: line.level } }, label, h("td", { class: "note", text: line.note || "" }), cells);
    rows.push(row);
    body.append(row);
  });
  const lines = h("div", { class: "table-wrap lines-wrap" }, h("table", { class: "list lines", "aria-label": "Lines" }, h("thead", {}, head), body));

  function showCheck(check, button) {
    const names = new Set([check.line, ...check.lines]);
    for (const row of rows) {
      const label = statement.lines[Number(row.dataset.line)].label;
      row.classList.toggle("focus", names.has(label));
    }
    for (const other of checksTable.querySelectorAll("button[aria-pressed]")) other.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-pressed", "true");
    rows.find((row) => row.classList.contains("focus"))?.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  const ordered = [...failed, ...statement.checks.filter((check) => check.ok)];
  const checksTable = h(
    "table",
    { class: "list checks", "aria-label": "Checks" },
    h("thead", {}, h("tr", {}, ["Result", "Check", "Line", "Period", "Expected", "Printed", "Lines involved"].map((t) => h("th", { scope: "col", text: t })))),
    h(
      "tbody",
      {},
      ordered.map((check) => {
        const show = h("button", { type: "button", class: "quiet small", text: "Show", "aria-pressed": "false", "aria-label": `Show the lines of the check of ${check.line}, ${check.period}` });
        show.addEventListener("click", () => showCheck(check, show));
        return h(
          "tr",
          { class: check.ok ? "ok-check" : "failed-check" },
          h("td", {}, h("span", { class: `status ${check.ok ? "completed" : "failed"}`, text: check.ok ? "passes" : "fails" })),
          h("td", { text: CHECK_NAMES[check.kind] || check.kind }),
          h("td", { text: check.line }),
          h("td", { text: check.period }),
          h("td", { class: "num", text: amount(check.expected) }),
          h("td", { class: "num", text: amount(check.actual) }),
          h("td", {}, h("span", { class: "muted", text: `${check.lines.length} ` }), show),
        );
      }),
    ),
  );
  const passing = statement.checks.length - failed.length;
  const checks = h(
    "section",
    { class: "panel", "aria-labelledby": "checks-title" },
    h("h2", { id: "checks-title", text: `Checks: ${passing} of ${statement.checks.length} pass` }),
    failed.length ? h("p", { class: "error", role: "note", text: `${failed.length} check(s) fail: the lines they involve are marked in the table.` }) : null,
    statement.checks.length ? h("div", { class: "table-wrap" }, checksTable) : h("p", { class: "muted", text: "No check applies to this statement." }),
  );

  const pagesHost = h("div", { class: "pages" }, h("p", { class: "muted", text: "Loading the pages…" }));
  const element = h("div", {}, checks, detail, h("div", { class: "viewer statement-viewer" }, pagesHost, lines));

  // The pages come from the job that read the statement; one sent as JSON has none.
  const loaded = statement.job_id
    ? get(`/job/${statement.job_id}/pages`)
        .then((index) => {
          pages = pageViewer({ jobId: statement.job_id, index, blocks: citations, onSelect: (i) => select(i, "page"), onHover: (i) => pages.hover(i) });
          pagesHost.replaceWith(pages.element);
        })
        .catch((error) => {
          pagesHost.replaceChildren(errorBox(error));
          onError?.(error);
        })
    : Promise.resolve(pagesHost.replaceChildren(h("p", { class: "muted", text: "This statement was sent as JSON: it has no pages to show." })));

  return {
    element,
    loaded,
    citations,
    select,
    destroy() {
      pages?.destroy();
    },
  };
}
