// Sign in with a user's password (a JWT pair) or with an API key pasted once.

import { signInWithKey, signInWithPassword } from "../api.js";
import { busy, errorBox, field, h, ready } from "../dom.js";

export function mount(main, { signedIn }) {
  const status = h("div", { class: "form-status" });
  const username = h("input", { name: "username", autocomplete: "username", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const key = h("input", { name: "api_key", type: "password", autocomplete: "off", spellcheck: "false", required: true });

  async function attempt(event, button, work) {
    event.preventDefault();
    status.replaceChildren();
    busy(button, true);
    try {
      signedIn(await work());
    } catch (error) {
      status.replaceChildren(errorBox(error));
      busy(button, false);
    }
  }

  const passwordButton = h("button", { type: "submit", text: "Sign in" });
  const keyButton = h("button", { type: "submit", text: "Use this key" });
  const passwordForm = h(
    "form",
    { "aria-labelledby": "signin-password", onsubmit: (e) => attempt(e, passwordButton, () => signInWithPassword(username.value, password.value)) },
    h("h2", { id: "signin-password", text: "With your password" }),
    field("Username or e-mail", username),
    field("Password", password),
    passwordButton,
  );
  const keyForm = h(
    "form",
    { "aria-labelledby": "signin-key", onsubmit: (e) => attempt(e, keyButton, () => signInWithKey(key.value)) },
    h("h2", { id: "signin-key", text: "With an API key" }),
    field("API key", key, "Kept in this tab only, until you sign out or close it."),
    keyButton,
  );
  main.replaceChildren(
    h(
      "section",
      { class: "signin" },
      h("h1", { text: "Sign in to Docuforge Studio" }),
      status,
      h("div", { class: "signin-forms" }, passwordForm, keyForm),
    ),
  );
  username.focus();
  ready("signin");
}
