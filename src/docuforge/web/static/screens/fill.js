// Fill a form: a PDF and what to write in it, in words; the filled PDF is shown and downloadable,
// with the fields the service found and the values it put in them.

import { download, field, h } from "../dom.js";
import { operationScreen } from "../operation.js";

export function mount(main, context) {
  const instructions = h("textarea", { name: "edit_instructions", rows: "5", required: true, placeholder: "The applicant is Jane Doe, born 1990-04-02, jane@example.com; tick 'I agree'." });
  const flatten = h("input", { type: "checkbox", name: "flatten" });
  let objectUrl = null;
  const stop = operationScreen(main, context, {
    id: "fill",
    title: "Fill a form",
    verb: "Fill",
    endpoint: "/edit_async",
    source: { reuseTypes: [], accept: ".pdf", uploadExtension: "pdf" },
    inputs: [field("What to fill in", instructions), h("div", { class: "field" }, h("label", {}, flatten, " Flatten (the values become page content)"))],
    body: () => {
      if (!instructions.value.trim()) throw new Error("Say what to fill in first.");
      return (input) => ({ document_url: input, edit_instructions: instructions.value, edit_options: { flatten: flatten.checked } });
    },
    show: async (response, jobId) => {
      // The signed URL needs no key; fetched here so the PDF is shown from this page's own memory.
      const pdf = await (await fetch(response.document_url)).blob();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
      const widgets = response.form_schema || [];
      return h(
        "div",
        {},
        h("div", { class: "result-bar" }, h("span", { class: "muted", text: `Job ${jobId} · ${widgets.filter((w) => w.value).length} of ${widgets.length} fields filled` }), h("button", { type: "button", class: "quiet", text: "Download PDF", onclick: () => download(`${jobId}.pdf`, pdf) })),
        h(
          "div",
          { class: "viewer" },
          h("iframe", { class: "pdf", src: objectUrl, title: "The filled PDF" }),
          h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "list", "aria-label": "Fields" },
              h("thead", {}, h("tr", {}, ["Field", "Type", "Value", "Page"].map((t) => h("th", { scope: "col", text: t })))),
              h("tbody", {}, widgets.map((w) => h("tr", {}, h("td", { text: w.description }), h("td", { text: w.type }), h("td", { text: w.value ?? "—" }), h("td", { text: w.bbox?.page ?? "—" })))),
            ),
          ),
        ),
      );
    },
  });
  return () => {
    stop();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  };
}
