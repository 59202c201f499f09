// The parse playground: a document (dropped, picked, or an earlier parse reused), the main
// options, an asynchronous run with its progress, then the pages with their boxes beside the result.

import { allows, get, post } from "../api.js";
import { documentSource, followJob } from "../source.js";
import { busy, clear, download, errorBox, field, h, ready, select } from "../dom.js";
import { flatten, slug, TYPES } from "../viewer/blocks.js";
import { pageViewer } from "../viewer/pages.js";
import { resultPanel, tableElement } from "../viewer/result.js";
import { tableRows, toCsv } from "../viewer/tables.js";

function options(form) {
  const data = new FormData(form);
  const config = {
    settings: { extraction_mode: data.get("extraction_mode") },
    formatting: { table_output_format: data.get("table_output_format") },
    retrieval: { chunking: { chunk_mode: data.get("chunk_mode") } },
  };
  const size = Number(data.get("chunk_size"));
  if (size) config.retrieval.chunking.chunk_size = size;
  const range = String(data.get("page_range") || "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (range.length) config.settings.page_range = range;
  return config;
}

export function mount(main, { me, params }) {
  let stopped = false;
  let viewer = null;
  const status = h("div", { class: "run-status", "aria-live": "polite" });
  const resultHost = h("section", { class: "result-host", "aria-label": "Result" });

  const source = documentSource({ reuseHint: "Its document is re-rendered with these options, not read again." });
  const runButton = h("button", { type: "submit", text: "Parse" });
  const form = h(
    "form",
    { class: "parse-form", onsubmit: run },
    source.element,
    h(
      "fieldset",
      { class: "opts" },
      h("legend", { text: "Options" }),
      field("OCR mode", select("extraction_mode", [["hybrid", "Hybrid: text layer, OCR for image pages"], ["ocr", "OCR every page"]], "hybrid")),
      field("Chunking", select("chunk_mode", [["disabled", "One chunk"], ["variable", "Variable"], ["section", "By section"], ["page", "By page"], ["page_sections", "Page sections"], ["block", "By block"]], "disabled")),
      field("Chunk size", h("input", { name: "chunk_size", type: "number", min: "50", step: "50", placeholder: "auto", inputmode: "numeric" }), "Characters, for variable chunks."),
      field("Tables as", select("table_output_format", [["dynamic", "Dynamic"], ["html", "HTML"], ["md", "Markdown"], ["json", "JSON"], ["csv", "CSV"]], "dynamic")),
      field("Pages", h("input", { name: "page_range", placeholder: "all, or e.g. 1-3, 5", autocomplete: "off" })),
    ),
    allows(me, "write") ? runButton : h("p", { class: "muted", text: "Your role may look at results but not start a parse." }),
  );

  const formBox = h("details", { class: "new-parse", open: true }, h("summary", { text: "Document and options" }), form);
  clear(main, h("div", { class: "screen-head" }, h("h1", { text: "Parse" })), h("div", { class: "parse-layout" }, formBox, status), resultHost);

  async function run(event) {
    event.preventDefault();
    if (!source.ready()) {
      status.replaceChildren(errorBox(new Error("Choose a document first.")));
      return;
    }
    busy(runButton, true);
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress" });
    const text = h("span", { text: "Uploading…" });
    status.replaceChildren(h("div", { class: "progress" }, bar, text));
    try {
      const input = await source.input((share) => {
        bar.value = share * 0.1;
      });
      const { job_id: jobId } = await post("/parse_async", { input, ...options(form) });
      text.textContent = "Queued…";
      history.replaceState(null, "", `/studio/parse?job=${jobId}`);
      await follow(jobId, bar, text);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(runButton, false);
    }
  }

  async function follow(jobId, bar, text) {
    const job = await followJob(jobId, {
      isStopped: () => stopped,
      onProgress: (share) => {
        bar.value = 0.1 + 0.9 * share;
        text.textContent = `${share ? "Parsing" : "Queued"}… ${Math.round(share * 100)}%`;
      },
    });
    if (!job) return;
    status.replaceChildren(h("p", { class: "ok", text: `Parsed in ${(job.duration ?? 0).toFixed(1)} s` }));
    await show(jobId, job.result);
  }

  async function show(jobId, response) {
    let fullResult = response.result;
    if (fullResult?.type === "url") fullResult = await (await fetch(fullResult.url)).json();
    const blocks = flatten(fullResult);
    const index = (early?.jobId === jobId && (await early.index)) || (await get(`/job/${jobId}/pages`));
    early = null;
    viewer?.destroy();

    const onSelect = (blockIndex, from) => {
      pages.select(blockIndex, { scroll: from !== "page" });
      panel.select(blockIndex, { scroll: from !== "text" });
      const block = blocks[blockIndex];
      const body = block.type === "Table" ? h("div", { class: "table-scroll" }, tableElement(tableRows(block.content))) : h("p", { text: block.content });
      detail.replaceChildren(h("strong", { text: block.type }), h("span", { class: "muted", text: ` · page ${block.bbox?.page}` }), body);
    };
    const onHover = (blockIndex) => {
      pages.hover(blockIndex);
      panel.hover(blockIndex);
    };
    const pages = pageViewer({ jobId, index, blocks, onSelect, onHover });
    const panel = resultPanel({ fullResult, blocks, onSelect, onHover });
    const detail = h("div", { class: "detail", "aria-live": "polite" }, h("span", { class: "muted", text: "Click a box or a block to see it here." }));
    viewer = pages;

    const counts = new Map();
    for (const block of blocks) counts.set(block.type, (counts.get(block.type) || 0) + 1);
    const legend = h(
      "ul",
      { class: "legend", "aria-label": "Block types" },
      TYPES.filter((type) => counts.has(type)).map((type) => h("li", { class: `t-${slug(type)}` }, h("span", { class: "swatch", "aria-hidden": "true" }), `${type} ${counts.get(type)}`)),
    );
    const markdown = () => (fullResult.chunks || []).map((chunk) => chunk.content).join("\n\n");
    const csv = () =>
      blocks
        .filter((block) => block.type === "Table")
        .map((block) => toCsv(tableRows(block.content)))
        .join("\n\n");
    const tables = blocks.some((block) => block.type === "Table");
    clear(
      resultHost,
      h(
        "div",
        { class: "result-bar" },
        h("span", { class: "muted", text: `Job ${jobId} · ${index.pages.length} page(s) · ${blocks.length} blocks` }),
        h(
          "div",
          { class: "downloads" },
          h("button", { type: "button", class: "quiet", text: "Markdown", onclick: () => download(`${jobId}.md`, markdown(), "text/markdown") }),
          h("button", { type: "button", class: "quiet", text: "JSON", onclick: () => download(`${jobId}.json`, JSON.stringify(response, null, 2), "application/json") }),
          h("button", { type: "button", class: "quiet", text: "CSV", disabled: !tables, title: tables ? "Every table, one after another" : "No table was found", onclick: () => download(`${jobId}-tables.csv`, csv(), "text/csv") }),
        ),
      ),
      legend,
      detail,
      h("div", { class: "viewer" }, pages.element, panel.element),
    );
    formBox.open = false;
    resultHost.scrollIntoView({ block: "start" });
  }

  const jobId = params.get("job");
  // An opened result's page sizes are asked for beside the result itself, not after it.
  let early = jobId ? { jobId, index: get(`/job/${jobId}/pages`).catch(() => null) } : null;
  if (jobId) {
    const bar = h("progress", { max: "1", value: "0.1", "aria-label": "Progress" });
    const text = h("span", { text: "Loading the result…" });
    status.replaceChildren(h("div", { class: "progress" }, bar, text));
    follow(jobId, bar, text)
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("parse"));
  } else ready("parse");

  return () => {
    stopped = true;
    viewer?.destroy();
  };
}
