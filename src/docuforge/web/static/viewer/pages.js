// The pages of a parse, each an image with every block's box over it, in a pane of its own that
// scrolls. Pages are laid out at once from their sizes (so the scroll bar is right), but an image
// and its boxes exist only while the page is near view: a 200-page document keeps a handful.

import { request } from "../api.js";
import { h } from "../dom.js";
import { label, slug } from "./blocks.js";

const NEAR = "1500px 0px";
const PARALLEL_LOADS = 3;

export function pageViewer({ jobId, index, blocks, onSelect, onHover }) {
  const byPage = new Map();
  for (const block of blocks) {
    const page = block.bbox?.page;
    if (page) byPage.set(page, [...(byPage.get(page) || []), block]);
  }
  const element = h("div", { class: "pages", tabindex: "-1", "aria-label": "Pages" });
  const pages = new Map();
  let selected = null;
  let inFlight = 0;
  const waiting = [];

  for (const info of index.pages) {
    const frame = h("div", { class: "page", dataset: { page: info.number } });
    frame.style.aspectRatio = `${info.width} / ${info.height}`;
    const figure = h("figure", { class: "page-figure" }, frame, h("figcaption", { text: `Page ${info.number}` }));
    element.append(figure);
    pages.set(info.number, { info, frame, url: null, loaded: false, visible: false });
  }

  function boxes(number) {
    return (byPage.get(number) || []).map((block) => {
      const { left, top, width, height } = block.bbox;
      const box = h("button", {
        type: "button",
        class: `box t-${slug(block.type)}${selected === block.index ? " selected" : ""}`,
        dataset: { block: block.index },
        "aria-label": label(block),
        title: label(block),
        onclick: () => onSelect(block.index, "page"),
        onmouseenter: () => onHover?.(block.index),
        onmouseleave: () => onHover?.(null),
        onfocus: () => onHover?.(block.index),
      });
      Object.assign(box.style, {
        left: `${left * 100}%`,
        top: `${top * 100}%`,
        width: `${width * 100}%`,
        height: `${height * 100}%`,
      });
      return box;
    });
  }

  async function load(page) {
    page.loaded = true;
    const img = h("img", { alt: `Page ${page.info.number}`, decoding: "async" });
    const layer = h("div", { class: "boxes" }, boxes(page.info.number));
    page.frame.replaceChildren(img, layer);
    if (!page.info.image) {
      page.frame.classList.add("no-image");
      return;
    }
    try {
      const response = await request("GET", `/job/${jobId}/pages/${page.info.number}.png`, { raw: true });
      const url = URL.createObjectURL(await response.blob());
      if (!page.loaded) {
        URL.revokeObjectURL(url); // scrolled away while it came
        return;
      }
      page.url = url;
      img.src = url;
      // Decoded off the main thread before it is shown, so scrolling never waits on a PNG.
      await img.decode().catch(() => {});
      if (page.loaded) page.frame.classList.add("shown");
    } catch (error) {
      page.frame.append(h("p", { class: "page-error", text: error.message }));
    }
  }

  function unload(page) {
    page.loaded = false;
    if (page.url) URL.revokeObjectURL(page.url);
    page.url = null;
    page.frame.classList.remove("shown");
    page.frame.replaceChildren();
  }

  function pump() {
    while (inFlight < PARALLEL_LOADS && waiting.length) {
      const page = waiting.shift();
      if (!page.visible || page.loaded) continue;
      inFlight++;
      load(page).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const page = pages.get(Number(entry.target.dataset.page));
        page.visible = entry.isIntersecting;
        if (entry.isIntersecting && !page.loaded) waiting.push(page);
        else if (!entry.isIntersecting && page.loaded) unload(page);
      }
      pump();
    },
    { root: element, rootMargin: NEAR },
  );
  for (const page of pages.values()) observer.observe(page.frame);

  function mark(className, blockIndex, on) {
    for (const box of element.querySelectorAll(`.box[data-block="${blockIndex}"]`)) box.classList.toggle(className, on);
  }

  return {
    element,
    select(blockIndex, { scroll = true } = {}) {
      if (selected !== null) mark("selected", selected, false);
      selected = blockIndex;
      if (blockIndex === null) return;
      mark("selected", blockIndex, true);
      const block = blocks[blockIndex];
      const page = block?.bbox && pages.get(block.bbox.page);
      if (scroll && page) {
        // The page first (its box may not exist yet), then the box once the page is drawn.
        const y = page.frame.offsetTop + block.bbox.top * page.frame.clientHeight;
        element.scrollTo({ top: Math.max(0, y - element.clientHeight / 3), behavior: "smooth" });
      }
    },
    hover(blockIndex) {
      for (const box of element.querySelectorAll(".box.hovered")) box.classList.remove("hovered");
      if (blockIndex !== null) mark("hovered", blockIndex, true);
    },
    destroy() {
      observer.disconnect();
      for (const page of pages.values()) if (page.url) URL.revokeObjectURL(page.url);
    },
  };
}
