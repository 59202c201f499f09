// Admin: API keys. A new key's secret is shown once, here, with a button to copy it; revoking is
// at once and the key stays listed, marked revoked.

import { get, post, request } from "../api.js";
import { busy, clear, errorBox, field, h, ready, select, toast, when } from "../dom.js";

export function mount(main) {
  const status = h("div", { "aria-live": "polite" });
  const secretHost = h("div");
  const body = h("tbody");
  const name = h("input", { name: "name", required: true, autocomplete: "off", maxlength: "200" });
  const role = select("role", [["viewer", "Viewer"], ["member", "Member"], ["admin", "Admin"]], "member");
  const expires = h("input", { name: "expires_at", type: "date" });
  const create = h("button", { type: "submit", text: "Create key" });
  const form = h("form", { class: "inline-form", onsubmit: submit }, field("Name", name), field("Role", role), field("Expires", expires, "Optional."), create);

  clear(
    main,
    h("div", { class: "screen-head" }, h("h1", { text: "API keys" })),
    h("section", { class: "panel", "aria-labelledby": "new-key" }, h("h2", { id: "new-key", text: "New key" }), form, secretHost),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "list", "aria-label": "API keys" },
        h("thead", {}, h("tr", {}, ["Name", "Prefix", "Role", "Created", "Last used", "Expires", "State"].map((t) => h("th", { scope: "col", text: t })), h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
        body,
      ),
    ),
  );

  async function submit(event) {
    event.preventDefault();
    busy(create, true);
    try {
      const payload = { name: name.value, role: role.value };
      if (expires.value) payload.expires_at = new Date(`${expires.value}T23:59:59`).toISOString();
      const created = await post("/api-keys", payload);
      const code = h("code", { class: "new-secret", text: created.key });
      const copy = h("button", {
        type: "button",
        class: "quiet small",
        text: "Copy",
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(created.key);
            toast("Copied");
          } catch {
            toast("Copy it by hand: the browser refused the clipboard", "error");
          }
        },
      });
      secretHost.replaceChildren(
        h(
          "div",
          { class: "panel once", role: "status" },
          h("p", {}, h("strong", { text: `Key “${created.name}” created. ` }), "Copy its secret now: it is shown this once and never again."),
          h("div", { class: "secret" }, code, copy),
        ),
      );
      form.reset();
      status.replaceChildren();
      await load();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(create, false);
    }
  }

  function row(key) {
    const state = key.revoked_at ? "revoked" : key.expires_at && new Date(key.expires_at) < new Date() ? "expired" : "active";
    const actions = h("td", { class: "actions" });
    if (state === "active") {
      actions.append(
        h("button", {
          type: "button",
          class: "danger small",
          text: "Revoke",
          "aria-label": `Revoke key ${key.name}`,
          onclick: async () => {
            if (!confirm(`Revoke “${key.name}”? Clients using it stop working at once.`)) return;
            try {
              await request("DELETE", `/api-keys/${key.id}`);
              toast(`Key ${key.name} revoked`);
            } catch (error) {
              status.replaceChildren(errorBox(error));
            }
            await load();
          },
        }),
      );
    }
    return h(
      "tr",
      { dataset: { key: key.id } },
      h("td", { text: key.name }),
      h("td", { class: "mono", text: `${key.prefix}…` }),
      h("td", { text: key.role }),
      h("td", { text: when(key.created_at) }),
      h("td", { text: when(key.last_used_at) }),
      h("td", { text: when(key.expires_at) }),
      h("td", {}, h("span", { class: `status ${state === "active" ? "completed" : "failed"}`, text: state })),
      actions,
    );
  }

  async function load() {
    try {
      const { api_keys: keys } = await get("/api-keys");
      body.replaceChildren(...keys.map(row));
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  load().then(() => ready("keys"));
}
