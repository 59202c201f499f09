// Split: describe the sections a document holds; see which pages went to each.

import { field, h } from "../dom.js";
import { jsonValue, operationScreen } from "../operation.js";

const STARTER = [
  { name: "Invoice", description: "Pages of an invoice: amounts due, line items, totals." },
  { name: "Contract", description: "Pages of an agreement: parties, clauses, signatures." },
  { name: "Other", description: "Anything else: cover letters, blank pages." },
];

function pageList(pages) {
  return pages.map((p) => (typeof p === "object" ? p.page_number : p)).join(", ") || "—";
}

export function mount(main, context) {
  const sections = h("textarea", { name: "split_description", class: "code", rows: "10", spellcheck: "false" });
  sections.value = JSON.stringify(STARTER, null, 2);
  const rules = h("input", { name: "split_rules", autocomplete: "off", placeholder: 'e.g. each "INVOICE" heading starts an invoice' });
  return operationScreen(main, context, {
    id: "split",
    title: "Split",
    verb: "Split",
    endpoint: "/split_async",
    source: { reuseLabel: "Or split an earlier parse", reuseHint: "Its stored document is used: nothing is parsed again." },
    inputs: [field("Sections (name, description, optional partition_key)", sections), field("Rules", rules, "Optional, in words.")],
    body: () => {
      const description = jsonValue(sections, "The sections");
      return (input) => ({ input, split_description: description, split_rules: rules.value || null });
    },
    show: (response) => {
      const result = response.result;
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "list", "aria-label": "Sections found" },
          h("thead", {}, h("tr", {}, ["Section", "Pages", "Confidence"].map((t) => h("th", { scope: "col", text: t })))),
          h(
            "tbody",
            {},
            result.splits.flatMap((split) => [
              h("tr", {}, h("td", {}, h("strong", { text: split.name })), h("td", { text: pageList(split.pages) }), h("td", { text: split.conf ?? "—" })),
              ...(split.partitions || []).map((part) => h("tr", {}, h("td", { text: `↳ ${part.name}` }), h("td", { text: pageList(part.pages) }), h("td", { text: part.conf ?? "—" }))),
            ]),
          ),
        ),
      );
    },
  });
}
