// The result beside the pages: the blocks as a readable document (tables as tables), the
// Markdown the API wrote, and the blocks' JSON. Each block is one element in each view, so a box
// on a page and its place here point at each other.

import { download, h } from "../dom.js";
import { slug } from "./blocks.js";
import { tableRows, toCsv } from "./tables.js";

export function tableElement(rows) {
  return h(
    "table",
    {},
    rows.map((row) =>
      h(
        "tr",
        {},
        row.map((cell) =>
          h(cell.header ? "th" : "td", { colspan: cell.colspan > 1 ? cell.colspan : null, rowspan: cell.rowspan > 1 ? cell.rowspan : null }, cell.text),
        ),
      ),
    ),
  );
}

function documentBlock(block, onSelect) {
  const attrs = {
    class: `blk t-${slug(block.type)}`,
    dataset: { block: block.index },
    tabindex: "0",
    onclick: () => onSelect(block.index, "text"),
    onkeydown: (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onSelect(block.index, "text");
      }
    },
  };
  const tag = h("span", { class: "blk-type", text: `${block.type} · p${block.bbox?.page ?? "?"}` });
  if (block.type === "Table") {
    const rows = tableRows(block.content);
    const save = h("button", {
      type: "button",
      class: "quiet small",
      text: "CSV",
      "aria-label": `Download table ${block.index} as CSV`,
      onclick: (event) => {
        event.stopPropagation();
        download(`table-${block.index + 1}.csv`, toCsv(rows), "text/csv");
      },
    });
    return h("div", attrs, tag, save, h("div", { class: "table-scroll" }, tableElement(rows)));
  }
  const tagName = { Title: "h2", "Section Header": "h3" }[block.type] || "p";
  return h("div", attrs, tag, h(tagName, { text: block.content }));
}

// Each block's text found in the chunk's Markdown, in order, and wrapped in a span of its own.
function markdownView(fullResult, blocks, onSelect) {
  const pre = h("pre", { class: "markdown" });
  let next = 0;
  (fullResult.chunks || []).forEach((chunk, chunkIndex) => {
    if (chunkIndex > 0) pre.append("\n\n");
    const text = chunk.content || "";
    let cursor = 0;
    while (next < blocks.length && blocks[next].chunk === chunkIndex) {
      const block = blocks[next++];
      const content = (block.content || "").trim();
      let at = content ? text.indexOf(content, cursor) : -1;
      let length = content.length;
      if (at < 0 && content) {
        const bare = content.replace(/^[\u2022\u25aa\u25cf\-*\u2013]\s*/, "");
        at = bare ? text.indexOf(bare, cursor) : -1;
        length = bare.length;
      }
      if (at < 0) continue;
      pre.append(text.slice(cursor, at));
      pre.append(
        h("span", {
          class: `md t-${slug(block.type)}`,
          dataset: { block: block.index },
          onclick: () => onSelect(block.index, "text"),
          text: text.slice(at, at + length),
        }),
      );
      cursor = at + length;
    }
    pre.append(text.slice(cursor));
  });
  return pre;
}

function jsonView(blocks, onSelect) {
  return h(
    "div",
    { class: "json" },
    blocks.map(({ index, chunk, ...block }) =>
      h("pre", { class: `blk-json t-${slug(block.type)}`, dataset: { block: index }, onclick: () => onSelect(index, "text") }, JSON.stringify(block, null, 2)),
    ),
  );
}

// The document view of a long result is built a slice at a time, between frames, so the screen is
// interactive at once; selecting a block not built yet builds the rest first.
const SLICE = 150;

function documentView(blocks, onSelect) {
  const element = h("div", { class: "doc" });
  let built = 0;
  const more = (count) => {
    const end = Math.min(blocks.length, built + count);
    element.append(...blocks.slice(built, end).map((block) => documentBlock(block, onSelect)));
    built = end;
  };
  const step = () => {
    more(SLICE);
    if (built < blocks.length) setTimeout(step, 0);
  };
  step();
  element.complete = () => more(blocks.length);
  return element;
}

export function resultPanel({ fullResult, blocks, onSelect, onHover }) {
  const views = {
    document: { title: "Document", build: () => documentView(blocks, onSelect) },
    markdown: { title: "Markdown", build: () => markdownView(fullResult, blocks, onSelect) },
    json: { title: "JSON", build: () => jsonView(blocks, onSelect) },
  };
  const panels = h("div", { class: "result-views" });
  const tabs = h("div", { role: "tablist", "aria-label": "Result views", class: "tabs" });
  let active = null;
  let selected = null;

  function show(name) {
    active = name;
    for (const [key, view] of Object.entries(views)) {
      if (key === name && !view.element) {
        // Built on first view: a long document's JSON costs nothing until someone asks for it.
        view.element = h("div", { role: "tabpanel", id: `view-${key}`, "aria-labelledby": `tab-${key}`, tabindex: "0" }, view.build());
        view.element.addEventListener("mouseover", (event) => {
          const target = event.target.closest("[data-block]");
          onHover?.(target ? Number(target.dataset.block) : null);
        });
        panels.append(view.element);
      }
      if (view.element) view.element.hidden = key !== name;
      view.tab.setAttribute("aria-selected", key === name ? "true" : "false");
      view.tab.tabIndex = key === name ? 0 : -1;
    }
    if (selected !== null) api.select(selected, { scroll: true });
  }

  for (const [key, view] of Object.entries(views)) {
    view.tab = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `view-${key}`, text: view.title, onclick: () => show(key) });
    view.tab.addEventListener("keydown", (event) => {
      const names = Object.keys(views);
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = names[(names.indexOf(key) + step + names.length) % names.length];
      show(next);
      views[next].tab.focus();
    });
    tabs.append(view.tab);
  }

  const element = h("div", { class: "result" }, tabs, panels);
  const api = {
    element,
    select(blockIndex, { scroll = true } = {}) {
      selected = blockIndex;
      for (const old of element.querySelectorAll("[data-block].selected")) old.classList.remove("selected");
      if (blockIndex === null) return;
      const view = views[active].element;
      let target = view.querySelector(`[data-block="${blockIndex}"]`);
      if (!target) {
        view.firstChild?.complete?.();
        target = view.querySelector(`[data-block="${blockIndex}"]`);
      }
      if (!target) return;
      target.classList.add("selected");
      if (scroll) target.scrollIntoView({ block: "center", behavior: "smooth" });
    },
    hover(blockIndex) {
      for (const old of element.querySelectorAll("[data-block].hovered")) old.classList.remove("hovered");
      if (blockIndex === null) return;
      views[active].element?.querySelector(`[data-block="${blockIndex}"]`)?.classList.add("hovered");
    },
  };
  show("document");
  return api;
}
