// The HTTP API as the Studio speaks it: one session (a JWT pair from /auth/login, or a pasted API
// key) kept in this tab's sessionStorage, access tokens refreshed before they expire and once on a
// 401, and every failure turned into an ApiError carrying the API's own message.

const STORE = "docuforge.studio.session";
const EARLY_REFRESH_MS = 30_000;
const listeners = new Set();
let session = load();
let refreshing = null;

export class ApiError extends Error {
  constructor(status, name, message, requestId) {
    super(message);
    this.status = status;
    this.name = name || "ERROR";
    this.requestId = requestId || null;
  }
}

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE));
  } catch {
    return null;
  }
}

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(STORE, JSON.stringify(next));
  else sessionStorage.removeItem(STORE);
  for (const listener of listeners) listener(next);
}

export function currentSession() {
  return session;
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function fromPair(pair) {
  return {
    kind: "jwt",
    access: pair.access_token,
    refresh: pair.refresh_token,
    expiresAt: Date.now() + pair.expires_in * 1000,
  };
}

export async function signInWithPassword(username, password) {
  const pair = await request("POST", "/auth/login", { body: { username, password }, auth: false });
  save(fromPair(pair));
  return whoAmI();
}

export async function signInWithKey(key) {
  save({ kind: "key", key: key.trim() });
  try {
    return await whoAmI();
  } catch (error) {
    save(null);
    throw error;
  }
}

export async function whoAmI() {
  const me = await request("GET", "/auth/me");
  if (session) save({ ...session, me });
  return me;
}

export async function signOut() {
  const ending = session;
  if (ending?.kind === "jwt") {
    try {
      await request("POST", "/auth/logout", { body: { refresh_token: ending.refresh } });
    } catch {
      // The tokens are forgotten here whatever the server says; they expire on their own.
    }
  }
  save(null);
}

async function refresh() {
  // One refresh at a time: a refresh token works once, and presenting it twice ends the session.
  if (!refreshing) {
    const token = session?.refresh;
    refreshing = request("POST", "/auth/refresh", { body: { refresh_token: token }, auth: false })
      .then((pair) => save({ ...session, ...fromPair(pair) }))
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export async function authorization() {
  if (!session) return {};
  if (session.kind === "key") return { Authorization: `Bearer ${session.key}` };
  if (session.expiresAt - Date.now() < EARLY_REFRESH_MS) await refresh();
  return { Authorization: `Bearer ${session.access}` };
}

async function toError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the status line is all there is
  }
  const error = body?.error;
  if (error?.message) return new ApiError(response.status, error.name, error.message, error.request_id);
  const detail = typeof body?.detail === "string" ? body.detail : response.statusText;
  return new ApiError(response.status, null, detail || `HTTP ${response.status}`);
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request(method, path, { body, query, auth = true, raw = false, signal } = {}) {
  const url = withQuery(path, query);
  for (let attempt = 0; ; attempt++) {
    const headers = auth ? await authorization() : {};
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(url, { method, headers, body: payload, signal });
    if (response.status === 401 && auth && session?.kind === "jwt" && attempt === 0) {
      try {
        await refresh();
        continue;
      } catch {
        save(null);
      }
    }
    if (!response.ok) throw await toError(response);
    if (raw) return response;
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    return type.includes("json") ? response.json() : response.text();
  }
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, body, options) => request("POST", path, { ...options, body });

// An upload with progress: fetch cannot report how much of a request body has gone.
export async function upload(file, onProgress) {
  const headers = await authorization();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/upload");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "the upload could not reach the service"));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else {
        const error = body?.error;
        reject(new ApiError(xhr.status, error?.name, error?.message || `upload failed (HTTP ${xhr.status})`));
      }
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

// The same table as auth/permissions.py: which role may do what.
const ROLE_PERMISSIONS = {
  viewer: ["read"],
  member: ["read", "write"],
  admin: ["read", "write", "manage_webhooks", "manage_users", "manage_keys"],
};

export function allows(me, permission) {
  return Boolean(me && (ROLE_PERMISSIONS[me.role] || []).includes(permission));
}
