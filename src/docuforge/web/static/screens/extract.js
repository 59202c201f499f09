// The extract playground: a document, a JSON Schema (start from an invoice, a receipt or a form),
// an asynchronous run, then the answer as a tree beside the pages; a value shows its citation box.

import { allows, get, post } from "../api.js";
import { busy, clear, download, errorBox, field, h, ready, select } from "../dom.js";
import { documentSource, followJob } from "../source.js";
import { pageViewer } from "../viewer/pages.js";
import { resultTree } from "../viewer/tree.js";

const text = (description) => ({ type: "string", description });
const number = (description) => ({ type: "number", description });

export const STARTERS = {
  invoice: {
    type: "object",
    properties: {
      invoice_number: text("The invoice's number"),
      invoice_date: text("The date the invoice was issued"),
      due_date: text("The date payment is due"),
      vendor_name: text("Who issued the invoice"),
      total_amount: number("The total to pay"),
      currency: text("The currency of the amounts"),
      line_items: {
        type: "array",
        items: {
          type: "object",
          properties: { description: text("What was sold"), quantity: number("How many"), amount: number("The line's amount") },
        },
      },
    },
  },
  receipt: {
    type: "object",
    properties: {
      merchant_name: text("The shop or restaurant"),
      date: text("The date of the purchase"),
      total: number("The total paid"),
      tax: number("The tax included"),
      items: { type: "array", items: { type: "object", properties: { name: text("The item"), price: number("Its price") } } },
    },
  },
  form: {
    type: "object",
    properties: {
      full_name: text("The person's name"),
      date_of_birth: text("Their date of birth"),
      address: text("Their postal address"),
      phone: text("Their phone number"),
      email: text("Their e-mail address"),
      signed: { type: "boolean", description: "Whether the form is signed" },
    },
  },
};

export function mount(main, { me, params }) {
  let stopped = false;
  let pages = null;
  const status = h("div", { "aria-live": "polite" });
  const resultHost = h("section", { class: "result-host", "aria-label": "Result" });
  const source = documentSource({
    reuseTypes: ["Parse", "Extract"],
    reuseLabel: "Or re-use an earlier parse or extraction",
    reuseHint: "Its document is read from what that job kept: nothing is parsed again.",
  });
  const schema = h("textarea", { name: "schema", class: "code", rows: "16", spellcheck: "false", autocomplete: "off" });
  const schemaError = h("small", { class: "schema-error", "aria-live": "polite" });
  const starter = select("starter", [["invoice", "Invoice"], ["receipt", "Receipt"], ["form", "Form"]], "invoice");
  const engine = select("engine", [["", "The service's default"], ["offline", "Offline (no LLM)"], ["llm", "LLM"]], "");
  const runButton = h("button", { type: "submit", text: "Extract" });
  const setStarter = () => {
    schema.value = JSON.stringify(STARTERS[starter.value], null, 2);
    check();
  };
  function check() {
    try {
      JSON.parse(schema.value);
      schemaError.textContent = "";
      schema.removeAttribute("aria-invalid");
      return true;
    } catch (error) {
      schemaError.textContent = `Not valid JSON: ${error.message}`;
      schema.setAttribute("aria-invalid", "true");
      return false;
    }
  }
  starter.addEventListener("change", setStarter);
  schema.addEventListener("input", check);

  const form = h(
    "form",
    { class: "parse-form", onsubmit: run },
    source.element,
    h(
      "fieldset",
      {},
      h("legend", { text: "Schema" }),
      h("div", { class: "inline-form" }, field("Start from", starter), field("Engine", engine)),
      field("JSON Schema", schema),
      schemaError,
    ),
    allows(me, "write") ? runButton : h("p", { class: "muted", text: "Your role may look at results but not start an extraction." }),
  );
  const formBox = h("details", { class: "new-parse", open: true }, h("summary", { text: "Document and schema" }), form);
  clear(main, h("div", { class: "screen-head" }, h("h1", { text: "Extract" })), formBox, status, resultHost);
  setStarter();

  async function run(event) {
    event.preventDefault();
    if (!source.ready()) return status.replaceChildren(errorBox(new Error("Choose a document first.")));
    if (!check()) return schema.focus();
    busy(runButton, true);
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress" });
    const label = h("span", { text: "Uploading…" });
    status.replaceChildren(h("div", { class: "progress" }, bar, label));
    try {
      const input = await source.input((share) => {
        bar.value = share * 0.1;
      });
      const settings = { citations: { enabled: true } };
      if (engine.value) settings.engine = engine.value;
      const body = { input, instructions: { schema: JSON.parse(schema.value) }, settings };
      const { job_id: jobId } = await post("/extract_async", body);
      history.replaceState(null, "", `/studio/extract?job=${jobId}`);
      await follow(jobId, bar, label);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(runButton, false);
    }
  }

  async function follow(jobId, bar, label) {
    const job = await followJob(jobId, {
      isStopped: () => stopped,
      onProgress: (share) => {
        bar.value = 0.1 + 0.9 * share;
        label.textContent = `Extracting… ${Math.round(share * 100)}%`;
      },
    });
    if (!job) return;
    const response = job.result;
    const engineUsed = response.engine ? ` by the ${response.engine} engine` : "";
    status.replaceChildren(h("p", { class: "ok", text: `Extracted in ${(job.duration ?? 0).toFixed(1)} s${engineUsed}` }));
    await show(jobId, response);
  }

  async function show(jobId, response) {
    let result = response.result;
    if (result?.type === "url") result = await (await fetch(result.url)).json();
    if (response.response_type === "extract" && Array.isArray(result)) result = result[0];
    const onSelect = (index, from) => {
      tree.select(index, { scroll: from !== "tree" });
      pages?.select(index, { scroll: from !== "page" });
      const citation = tree.citations[index];
      detail.replaceChildren(
        h("strong", { text: citation.path }),
        h("span", { class: "muted", text: ` · page ${citation.bbox?.page} · ${citation.confidence} confidence` }),
        h("p", { text: citation.parentBlock?.content || citation.content }),
      );
    };
    const tree = resultTree(result, onSelect);
    const detail = h("div", { class: "detail", "aria-live": "polite" }, h("span", { class: "muted", text: "Click a value to see where it was read." }));
    let pagesElement;
    try {
      const index = await get(`/job/${jobId}/pages`);
      pages?.destroy();
      pages = pageViewer({ jobId, index, blocks: tree.citations, onSelect, onHover: (i) => pages.hover(i) });
      pagesElement = pages.element;
    } catch (error) {
      pagesElement = h("div", { class: "pages" }, errorBox(error));
    }
    clear(
      resultHost,
      h(
        "div",
        { class: "result-bar" },
        h("span", { class: "muted", text: `Job ${jobId} · ${tree.citations.length} citations · ${response.usage?.num_fields ?? "?"} fields` }),
        h("div", { class: "downloads" }, h("button", { type: "button", class: "quiet", text: "JSON", onclick: () => download(`${jobId}.json`, JSON.stringify(response, null, 2), "application/json") })),
      ),
      detail,
      h("div", { class: "viewer" }, pagesElement, h("div", { class: "result" }, h("div", { class: "result-views", tabindex: "0", "aria-label": "Extracted values" }, tree.element))),
    );
    formBox.open = false;
    resultHost.scrollIntoView({ block: "start" });
  }

  const jobId = params.get("job");
  if (jobId) {
    const bar = h("progress", { max: "1", value: "0.1", "aria-label": "Progress" });
    const label = h("span", { text: "Loading the result…" });
    status.replaceChildren(h("div", { class: "progress" }, bar, label));
    follow(jobId, bar, label)
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("extract"));
  } else ready("extract");

  return () => {
    stopped = true;
    pages?.destroy();
  };
}
