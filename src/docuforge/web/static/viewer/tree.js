// An extraction's answer as a tree. With citations, each leaf is {value, citations}: its value is
// a button that shows where on the page the value was read.

import { h } from "../dom.js";

function isLeaf(node) {
  return node && typeof node === "object" && !Array.isArray(node) && "value" in node && Array.isArray(node.citations);
}

function scalar(value) {
  if (value === null || value === undefined || value === "") return h("span", { class: "muted", text: "—" });
  return String(value);
}

// Returns {element, citations}: citations[i] = {bbox, type, content, path, index} over all leaves.
export function resultTree(result, onSelect) {
  const citations = [];
  const leaves = new Map();

  function node(value, path) {
    if (isLeaf(value)) {
      const first = citations.length;
      for (const citation of value.citations) citations.push({ ...citation, index: citations.length, path });
      if (!value.citations.length) return h("span", { class: "leaf" }, scalar(value.value));
      const button = h(
        "button",
        { type: "button", class: "leaf cited", dataset: { citation: first }, title: `Show where “${path}” was read`, onclick: () => onSelect(first, "tree") },
        scalar(value.value),
      );
      for (let i = first; i < citations.length; i++) leaves.set(i, button);
      return button;
    }
    if (Array.isArray(value)) {
      if (!value.length) return h("span", { class: "muted", text: "[ ]" });
      return h("ol", { class: "tree-list" }, value.map((item, i) => h("li", {}, node(item, `${path}[${i}]`))));
    }
    if (value && typeof value === "object") {
      return h(
        "dl",
        { class: "tree" },
        Object.entries(value).map(([key, child]) => [h("dt", { text: key }), h("dd", {}, node(child, path ? `${path}.${key}` : key))]),
      );
    }
    return h("span", { class: "leaf" }, scalar(value));
  }

  const element = h("div", { class: "tree-root" }, node(result, ""));
  return {
    element,
    citations,
    select(index, { scroll = true } = {}) {
      for (const old of element.querySelectorAll(".leaf.selected")) old.classList.remove("selected");
      const button = leaves.get(index);
      if (!button) return;
      button.classList.add("selected");
      if (scroll) button.scrollIntoView({ block: "center", behavior: "smooth" });
    },
  };
}
