// Admin: the organization's users. Add one, change a role, lock or unlock, reset a password, remove.

import { get, post, request } from "../api.js";
import { busy, clear, errorBox, field, h, ready, select, toast, when } from "../dom.js";

const ROLES = [
  ["viewer", "Viewer: sees results"],
  ["member", "Member: runs jobs"],
  ["admin", "Admin: manages users, keys, webhooks"],
];

export function mount(main, { me }) {
  const status = h("div", { "aria-live": "polite" });
  const body = h("tbody");
  const username = h("input", { name: "username", required: true, autocomplete: "off", pattern: "[A-Za-z0-9][A-Za-z0-9._\\-]*" });
  const email = h("input", { name: "email", type: "email", required: true, autocomplete: "off" });
  const password = h("input", { name: "password", type: "password", required: true, autocomplete: "new-password" });
  const role = select("role", ROLES, "member");
  const add = h("button", { type: "submit", text: "Add user" });
  const form = h(
    "form",
    { class: "inline-form", onsubmit: create },
    field("Username", username),
    field("E-mail", email),
    field("Password", password),
    field("Role", role),
    add,
  );

  clear(
    main,
    h("div", { class: "screen-head" }, h("h1", { text: "Users" })),
    h("section", { class: "panel", "aria-labelledby": "new-user" }, h("h2", { id: "new-user", text: "New user" }), form),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "list", "aria-label": "Users" },
        h("thead", {}, h("tr", {}, ["Username", "E-mail", "Role", "Active", "Last sign-in"].map((t) => h("th", { scope: "col", text: t })), h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
        body,
      ),
    ),
  );

  async function create(event) {
    event.preventDefault();
    busy(add, true);
    try {
      const user = await post("/users", { username: username.value, email: email.value, password: password.value, role: role.value });
      toast(`User ${user.username} added`);
      form.reset();
      status.replaceChildren();
      await load();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(add, false);
    }
  }

  async function change(user, patch, message) {
    try {
      await request("PATCH", `/users/${user.id}`, { body: patch });
      toast(message);
      status.replaceChildren();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
    await load();
  }

  function row(user) {
    const self = me.user?.id === user.id;
    const roleSelect = select(`role-${user.id}`, ROLES.map(([value]) => [value, value]), user.role);
    roleSelect.setAttribute("aria-label", `Role of ${user.username}`);
    roleSelect.disabled = self;
    roleSelect.addEventListener("change", () => change(user, { role: roleSelect.value }, `${user.username} is now ${roleSelect.value}`));
    const actions = h("td", { class: "actions" });
    if (!self) {
      actions.append(
        h("button", {
          type: "button",
          class: "quiet small",
          text: user.is_active ? "Lock" : "Unlock",
          "aria-label": `${user.is_active ? "Lock" : "Unlock"} ${user.username}`,
          onclick: () => change(user, { is_active: !user.is_active }, `${user.username} ${user.is_active ? "locked" : "unlocked"}`),
        }),
        h("button", {
          type: "button",
          class: "quiet small",
          text: "Reset password",
          "aria-label": `Reset the password of ${user.username}`,
          onclick: () => {
            const next = prompt(`New password for ${user.username}`);
            if (next) change(user, { password: next }, `Password of ${user.username} changed`);
          },
        }),
        h("button", {
          type: "button",
          class: "danger small",
          text: "Remove",
          "aria-label": `Remove ${user.username}`,
          onclick: async () => {
            if (!confirm(`Remove ${user.username}?`)) return;
            try {
              await request("DELETE", `/users/${user.id}`);
              toast(`${user.username} removed`);
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
      {},
      h("td", {}, user.username, self ? h("span", { class: "muted", text: " (you)" }) : null),
      h("td", { text: user.email }),
      h("td", {}, roleSelect),
      h("td", { text: user.is_active ? "yes" : "locked" }),
      h("td", { text: when(user.last_login_at) }),
      actions,
    );
  }

  async function load() {
    try {
      const { users } = await get("/users");
      body.replaceChildren(...users.map(row));
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  load().then(() => ready("users"));
}
