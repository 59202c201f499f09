// The Studio's frame: sign-in gate, navigation, and a client-side router that loads each screen's
// module when it is first shown. A screen module exports mount(main, context) and may return a
// function that stops whatever it started (polling, observers).

import { allows, currentSession, onSessionChange, signOut, whoAmI } from "./api.js";
import { clear, errorBox, h } from "./dom.js";
import { screens } from "./screens/registry.js";

const BASE = "/studio";
const main = document.getElementById("main");
let unmount = null;
let me = null;

function screenPath() {
  const path = location.pathname.slice(BASE.length).replace(/\/+$/, "");
  return path || "/";
}

export function navigate(path, { replace = false } = {}) {
  const url = path.startsWith(BASE) ? path : BASE + path;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route();
}

function visibleScreens() {
  return screens.filter((screen) => allows(me, screen.permission));
}

function renderNav() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!me) {
    clear(nav);
    clear(who);
    return;
  }
  const current = screenPath();
  const link = (screen) =>
    h("a", {
      href: BASE + screen.path,
      "data-link": true,
      text: screen.title,
      "aria-current": current.startsWith(screen.path) ? "page" : null,
    });
  const plain = visibleScreens().filter((s) => !s.group);
  const groups = new Map();
  for (const screen of visibleScreens().filter((s) => s.group)) {
    groups.set(screen.group, [...(groups.get(screen.group) || []), screen]);
  }
  clear(
    nav,
    h("ul", {}, plain.map((screen) => h("li", {}, link(screen)))),
    [...groups].map(([group, items]) =>
      h("ul", { "aria-label": group, class: "group" }, h("li", { class: "group-name", text: group, "aria-hidden": "true" }), items.map((s) => h("li", {}, link(s)))),
    ),
  );
  const name = me.user ? me.user.username : `key ${me.api_key_name || ""}`.trim();
  clear(
    who,
    h("span", { class: "identity", title: me.organization.name }, name, h("span", { class: "role", text: me.role })),
    h("button", { type: "button", class: "quiet", onclick: () => signOut(), text: "Sign out" }),
  );
}

async function route() {
  if (unmount) {
    try {
      unmount();
    } catch {
      // a screen that fails to stop must not keep the next one from starting
    }
    unmount = null;
  }
  delete document.body.dataset.ready;
  if (!me) {
    const { mount } = await import("./screens/signin.js");
    renderNav();
    unmount = mount(main, { signedIn });
    return;
  }
  const path = screenPath();
  const allowed = visibleScreens();
  const screen = allowed.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  if (!screen) {
    if (allowed.length) navigate(allowed[0].path, { replace: true });
    else clear(main, h("p", { text: "Your role has access to no screen of the Studio." }));
    return;
  }
  renderNav();
  document.title = `${screen.title} · Docuforge Studio`;
  try {
    const module = await import(screen.module);
    clear(main);
    unmount = module.mount(main, { me, navigate, params: new URLSearchParams(location.search) }) || null;
  } catch (error) {
    clear(main, errorBox(error));
  }
  main.focus({ preventScroll: true });
}

function signedIn(who) {
  me = who;
  const wanted = screenPath();
  navigate(wanted === "/" || wanted === "/signin" ? "/parse" : wanted + location.search, { replace: true });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", route);

onSessionChange((session) => {
  if (!session && me) {
    me = null;
    route();
  }
});

async function boot() {
  const session = currentSession();
  if (session) {
    try {
      me = session.me || (await whoAmI());
    } catch {
      me = null;
    }
  }
  route();
}

boot();
