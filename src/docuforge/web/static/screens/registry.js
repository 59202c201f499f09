// Every screen of the Studio: adding a capability is one entry here and one module beside it.
// `permission` is the API permission the screen's endpoints need (auth/permissions.py).

export const screens = [
  { path: "/parse", title: "Parse", module: "./screens/parse.js", permission: "read" },
  { path: "/extract", title: "Extract", module: "./screens/extract.js", permission: "read" },
  { path: "/split", title: "Split", module: "./screens/split.js", permission: "read" },
  { path: "/classify", title: "Classify", module: "./screens/classify.js", permission: "read" },
  { path: "/fill", title: "Fill", module: "./screens/fill.js", permission: "read" },
  { path: "/workspaces", title: "Workspaces", module: "./screens/workspaces.js", permission: "read" },
  { path: "/statements", title: "Statements", module: "./screens/statements.js", permission: "read" },
  { path: "/logs", title: "Logs", module: "./screens/logs.js", permission: "read" },
  { path: "/jobs", title: "Jobs", module: "./screens/jobs.js", permission: "read" },
  { path: "/admin/users", title: "Users", module: "./screens/users.js", permission: "manage_users", group: "Admin" },
  { path: "/admin/keys", title: "API keys", module: "./screens/keys.js", permission: "manage_keys", group: "Admin" },
  {
    path: "/admin/webhooks",
    title: "Webhooks",
    module: "./screens/webhooks.js",
    permission: "manage_webhooks",
    group: "Admin",
  },
];
