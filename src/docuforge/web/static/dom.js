// Building the DOM without innerHTML: text from documents and the API is never parsed as markup.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "style") Object.assign(element.style, value);
    else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let fieldCount = 0;

// A labelled form control: the label is always there, for screen readers and for clicking.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control, hint && h("small", { id: hintId, text: hint }));
}

export function select(name, options, value) {
  return h(
    "select",
    { name },
    options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === value }, text)),
  );
}

// An error as the API worded it, with its code and request id for support.
export function errorBox(error) {
  const box = h("div", { class: "error", role: "alert" }, h("strong", { text: error.message || String(error) }));
  if (error.name && error.name !== "Error") box.append(h("span", { class: "code", text: ` ${error.name}` }));
  if (error.requestId) box.append(h("span", { class: "muted", text: ` · request ${error.requestId}` }));
  return box;
}

export function toast(message, kind = "info") {
  const host = document.getElementById("toasts");
  const item = h("div", { class: `toast ${kind}`, text: message });
  host.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
}

export function when(value) {
  if (!value) return "—";
  const date = new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function download(filename, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Signals the end of a screen's first render: the end-to-end tests and load-time figures read it.
export function ready(screen) {
  document.body.dataset.ready = screen;
  performance.mark(`studio:ready:${screen}`);
}

export function busy(button, working, label) {
  button.disabled = working;
  button.setAttribute("aria-busy", working ? "true" : "false");
  if (label) button.textContent = label;
}
