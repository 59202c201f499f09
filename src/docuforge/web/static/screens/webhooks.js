// Admin: where job events are delivered, the secret they are signed with (rotated here), and the
// recent deliveries with every attempt.

import { get, post, request } from "../api.js";
import { busy, clear, errorBox, field, h, ready, toast, when } from "../dom.js";

export function mount(main) {
  const status = h("div", { "aria-live": "polite" });
  const url = h("input", { name: "url", type: "url", placeholder: "https://example.com/hooks/docuforge", autocomplete: "off" });
  const channels = h("input", { name: "channels", placeholder: "all", autocomplete: "off" });
  const enabled = h("input", { name: "enabled", type: "checkbox" });
  const save = h("button", { type: "submit", text: "Save" });
  const secret = h("code", { class: "secret-value", text: "••••••••" });
  let secretValue = "";
  let shown = false;
  const reveal = h("button", { type: "button", class: "quiet small", text: "Show", "aria-pressed": "false", onclick: toggle });
  const rotate = h("button", { type: "button", class: "danger small", text: "Rotate", onclick: rotateSecret });
  const updated = h("span", { class: "muted" });
  const deliveries = h("tbody");
  const form = h(
    "form",
    { class: "inline-form", onsubmit: submit },
    field("Endpoint URL", url),
    field("Channels", channels, "Comma-separated; empty for all."),
    h("div", { class: "field" }, h("label", {}, enabled, " Enabled")),
    save,
  );

  clear(
    main,
    h("div", { class: "screen-head" }, h("h1", { text: "Webhooks" })),
    status,
    h("section", { class: "panel", "aria-labelledby": "endpoint" }, h("h2", { id: "endpoint", text: "Endpoint" }), form, updated),
    h(
      "section",
      { class: "panel", "aria-labelledby": "signing" },
      h("h2", { id: "signing", text: "Signing secret" }),
      h("p", { class: "muted", text: "Deliveries are signed as Standard Webhooks; verify them with this secret." }),
      h("div", { class: "secret" }, secret, reveal, rotate),
    ),
    h("h2", { text: "Recent deliveries" }),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "list", "aria-label": "Deliveries" },
        h("thead", {}, h("tr", {}, ["Created", "Job", "URL", "Status", "Attempts", "Last error"].map((t) => h("th", { scope: "col", text: t })))),
        deliveries,
      ),
    ),
  );

  function toggle() {
    shown = !shown;
    secret.textContent = shown ? secretValue : "••••••••";
    reveal.textContent = shown ? "Hide" : "Show";
    reveal.setAttribute("aria-pressed", String(shown));
  }

  function fill(endpoint) {
    url.value = endpoint.url || "";
    channels.value = (endpoint.channels || []).join(", ");
    enabled.checked = endpoint.enabled;
    secretValue = endpoint.secret;
    secret.textContent = shown ? secretValue : "••••••••";
    updated.textContent = `Last changed ${when(endpoint.updated_at)}`;
  }

  async function submit(event) {
    event.preventDefault();
    busy(save, true);
    try {
      const list = channels.value.split(",").map((c) => c.trim()).filter(Boolean);
      fill(await request("PUT", "/webhooks", { body: { url: url.value || null, channels: list, enabled: enabled.checked } }));
      toast("Endpoint saved");
      status.replaceChildren();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(save, false);
    }
  }

  async function rotateSecret() {
    if (!confirm("Replace the signing secret? Receivers must use the new one from now on.")) return;
    try {
      fill(await post("/webhooks/secret"));
      toast("Secret rotated");
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  function delivery(item) {
    const attempts = h(
      "details",
      {},
      h("summary", { text: String(item.attempts) }),
      h("ul", {}, item.history.map((a) => h("li", { text: `#${a.number} ${when(a.at)} · ${a.status_code ?? a.error ?? "no answer"}${a.duration_ms != null ? ` · ${Math.round(a.duration_ms)} ms` : ""}` }))),
    );
    return h(
      "tr",
      {},
      h("td", { text: when(item.created_at) }),
      h("td", { class: "mono", text: item.job_id ? item.job_id.slice(0, 8) : "—" }),
      h("td", { class: "mono", text: item.url }),
      h("td", {}, h("span", { class: `status ${item.status.toLowerCase()}`, text: item.status })),
      h("td", {}, attempts),
      h("td", { text: item.last_error || "—" }),
    );
  }

  async function load() {
    try {
      const [endpoint, list] = await Promise.all([get("/webhooks"), get("/webhooks/deliveries", { query: { limit: 50 } })]);
      fill(endpoint);
      deliveries.replaceChildren(...(list.deliveries.length ? list.deliveries.map(delivery) : [h("tr", {}, h("td", { colspan: "6", class: "muted", text: "No delivery yet." }))]));
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  load().then(() => ready("webhooks"));
}
