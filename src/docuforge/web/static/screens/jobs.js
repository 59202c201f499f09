// The organization's jobs, newest first, kept live: statuses and the progress of running jobs are
// polled while the tab is visible. Filters apply to the jobs loaded; "Load more" pages on.

import { allows, get, post, request } from "../api.js";
import { clear, errorBox, field, h, ready, select, toast, when } from "../dom.js";

const POLL_MS = 2000;
const PAGE = 50;
const ACTIVE = new Set(["Pending", "InProgress", "Idle", "Completing"]);
// The screen that shows each job type's result.
const RESULT_SCREENS = { Parse: "/parse", Extract: "/extract", Split: "/split", Classify: "/classify", Edit: "/fill", Logs: "/logs", Statements: "/statements" };
const STATUS_FILTERS = [
  ["", "All"],
  ["active", "Active"],
  ["Completed", "Completed"],
  ["Failed", "Failed"],
  ["Cancelled", "Cancelled"],
];

export function mount(main, { me, navigate }) {
  const jobs = new Map();
  const progress = new Map();
  const rows = new Map();
  let cursor = null;
  let timer = null;
  let stopped = false;
  const canWrite = allows(me, "write");

  const statusFilter = select("status", STATUS_FILTERS, "");
  const typeFilter = select("type", [["", "All"]], "");
  const search = h("input", { name: "q", type: "search", placeholder: "id or source", autocomplete: "off" });
  const more = h("button", { type: "button", class: "quiet", text: "Load more", hidden: true, onclick: () => load(true) });
  const status = h("div", { "aria-live": "polite" });
  const body = h("tbody");
  const empty = h("p", { class: "muted", text: "No job matches.", hidden: true });
  for (const control of [statusFilter, typeFilter, search]) control.addEventListener("input", render);

  clear(
    main,
    h("div", { class: "screen-head" }, h("h1", { text: "Jobs" })),
    h("div", { class: "toolbar", role: "search" }, field("Status", statusFilter), field("Type", typeFilter), field("Search", search)),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "list", "aria-label": "Jobs" },
        h("thead", {}, h("tr", {}, ["Created", "Type", "Status", "Pages", "Duration", "Job"].map((t) => h("th", { scope: "col", text: t, class: t === "Job" || t === "Duration" ? "wide" : null })), h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
        body,
      ),
    ),
    empty,
    more,
  );

  function visible(job) {
    const wanted = statusFilter.value;
    if (wanted === "active" && !ACTIVE.has(job.status)) return false;
    if (wanted && wanted !== "active" && job.status !== wanted) return false;
    if (typeFilter.value && job.type !== typeFilter.value) return false;
    const text = search.value.trim().toLowerCase();
    return !text || job.job_id.includes(text) || String(job.source || "").toLowerCase().includes(text);
  }

  async function act(job, what) {
    try {
      if (what === "cancel") {
        const answer = await post(`/cancel/${job.job_id}`);
        toast(`Job ${job.job_id.slice(0, 8)}: ${answer.status}`);
      } else {
        await request("DELETE", `/job/${job.job_id}`);
        jobs.delete(job.job_id);
        toast(`Job ${job.job_id.slice(0, 8)} deleted`);
      }
    } catch (error) {
      toast(error.message, "error");
    }
    poll();
  }

  function row(job) {
    const share = progress.get(job.job_id);
    const statusCell = h("td", {}, h("span", { class: `status ${job.status.toLowerCase()}`, text: job.status }));
    if (ACTIVE.has(job.status) && share !== undefined) {
      statusCell.append(" ", h("progress", { max: "1", value: String(share), "aria-label": `Progress of job ${job.job_id}` }), ` ${Math.round(share * 100)}%`);
    }
    const actions = h("td", { class: "actions" });
    const screen = RESULT_SCREENS[job.type];
    if (job.status === "Completed" && screen) {
      actions.append(h("button", { type: "button", class: "quiet small", text: "Open", "aria-label": `Open the result of job ${job.job_id}`, onclick: () => navigate(`${screen}?job=${job.job_id}`) }));
    }
    if (canWrite && ACTIVE.has(job.status)) {
      actions.append(h("button", { type: "button", class: "danger small", text: "Cancel", "aria-label": `Cancel job ${job.job_id}`, onclick: () => act(job, "cancel") }));
    }
    if (canWrite && !ACTIVE.has(job.status)) {
      actions.append(h("button", { type: "button", class: "quiet small", text: "Delete", "aria-label": `Delete job ${job.job_id}`, onclick: () => confirm("Delete this job and its results?") && act(job, "delete") }));
    }
    return h(
      "tr",
      { dataset: { job: job.job_id } },
      h("td", { text: when(job.created_at) }),
      h("td", { text: job.type }),
      statusCell,
      h("td", { text: job.num_pages ?? "—" }),
      h("td", { class: "wide", text: job.duration != null ? `${job.duration.toFixed(1)} s` : "—" }),
      h("td", { class: "mono wide", title: job.job_id, text: job.job_id.slice(0, 8) }),
      actions,
    );
  }

  function render() {
    const shown = [...jobs.values()].filter(visible);
    const next = [];
    for (const job of shown) {
      const signature = `${job.status}|${progress.get(job.job_id)}|${job.duration}|${job.num_pages}`;
      let entry = rows.get(job.job_id);
      if (!entry || entry.signature !== signature) {
        entry = { signature, element: row(job) };
        const focused = rows.get(job.job_id)?.element.contains(document.activeElement);
        rows.set(job.job_id, entry);
        if (focused) queueMicrotask(() => entry.element.querySelector("button")?.focus());
      }
      next.push(entry.element);
    }
    body.replaceChildren(...next);
    empty.hidden = shown.length > 0;
    const types = [...new Set([...jobs.values()].map((job) => job.type))].sort();
    if (types.length !== typeFilter.options.length - 1) {
      const chosen = typeFilter.value;
      typeFilter.replaceChildren(h("option", { value: "" }, "All"), types.map((t) => h("option", { value: t, selected: t === chosen }, t)));
    }
  }

  async function load(older) {
    try {
      const answer = await get("/jobs", { query: { limit: PAGE, cursor: older ? cursor : null, exclude_configs: true } });
      if (!older) {
        // The newest page replaces what it covers; older pages already loaded stay.
        for (const job of answer.jobs) jobs.set(job.job_id, job);
        if (cursor === null) cursor = answer.next_cursor;
      } else {
        for (const job of answer.jobs) jobs.set(job.job_id, job);
        cursor = answer.next_cursor;
      }
      const sorted = [...jobs.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
      jobs.clear();
      for (const job of sorted) jobs.set(job.job_id, job);
      more.hidden = !cursor;
      status.replaceChildren();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  async function refreshActive() {
    const active = [...jobs.values()].filter((job) => ACTIVE.has(job.status)).slice(0, 20);
    await Promise.all(
      active.map(async (job) => {
        try {
          const detail = await get(`/job/${job.job_id}`);
          if (detail.progress !== undefined) progress.set(job.job_id, detail.progress);
        } catch {
          // gone meanwhile: the next list says so
        }
      }),
    );
  }

  async function poll() {
    clearTimeout(timer);
    if (stopped) return;
    if (!document.hidden) {
      await load(false);
      await refreshActive();
      if (stopped) return;
      render();
    }
    timer = setTimeout(poll, POLL_MS);
  }

  poll().then(() => ready("jobs"));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
