// Classify: categories with their criteria; the category chosen and how each scored.

import { field, h } from "../dom.js";
import { jsonValue, operationScreen } from "../operation.js";

const STARTER = [
  { category: "invoice", criteria: ["asks for payment", "has line items and a total due"] },
  { category: "receipt", criteria: ["confirms a payment was made", "names a merchant"] },
  { category: "form", criteria: ["has fields to fill in", "asks for personal details"] },
];

export function mount(main, context) {
  const schema = h("textarea", { name: "classification_schema", class: "code", rows: "10", spellcheck: "false" });
  schema.value = JSON.stringify(STARTER, null, 2);
  return operationScreen(main, context, {
    id: "classify",
    title: "Classify",
    verb: "Classify",
    endpoint: "/classify_async",
    source: { reuseLabel: "Or classify an earlier parse", reuseHint: "Its stored document is used: nothing is parsed again." },
    inputs: [field("Categories (category, criteria)", schema)],
    body: () => {
      const categories = jsonValue(schema, "The categories");
      return (input) => ({ input, classification_schema: categories });
    },
    show: (response) => {
      const scores = response.response_confidence?.categories || [];
      return h(
        "div",
        {},
        h("p", { class: "answer" }, "Category: ", h("strong", { class: "category", text: response.result.category })),
        response.extra_metadata?.evidence ? h("p", { class: "muted", text: response.extra_metadata.evidence }) : null,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "list", "aria-label": "Scores" },
            h("thead", {}, h("tr", {}, ["Category", "Confidence", "Criteria"].map((t) => h("th", { scope: "col", text: t })))),
            h(
              "tbody",
              {},
              scores.map((s) =>
                h("tr", {}, h("td", { text: s.category }), h("td", {}, h("meter", { min: "0", max: "1", value: String(s.confidence), "aria-label": `${s.category} confidence` }), ` ${(s.confidence * 100).toFixed(0)}%`), h("td", { text: s.criteria_confidence.map((c) => `${c.criterion}: ${c.confidence}`).join("; ") })),
              ),
            ),
          ),
        ),
      );
    },
  });
}
