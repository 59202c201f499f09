// Logs: read an uploaded log file into records (or open an earlier log job), see its summary
// (levels over time as a chart, the most frequent message templates) and page through its
// records, filtered by level, text and order; export them as CSV or JSON lines.

import { allows, get, post, request, upload } from "../api.js";
import { busy, clear, download, errorBox, field, h, ready, select, when } from "../dom.js";
import { followJob } from "../source.js";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];
const FORMATS = ["auto", "jsonl", "json_array", "logfmt", "csv", "tsv", "syslog_rfc3164", "syslog_rfc5424", "apache_common", "apache_combined", "text"];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

// Stacked bars, one per time bucket, a colour per level; each bar names its counts for screen readers.
function timeline(summary) {
  const points = summary.timeline;
  const width = 800;
  const height = 160;
  const most = Math.max(1, ...points.map((p) => p.count));
  const barWidth = width / Math.max(1, points.length);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img", "aria-label": `Records over time, ${summary.bucket_seconds} s a bar` });
  points.forEach((point, i) => {
    let y = height;
    const bar = svg("g", {}, svg("title", {}, `${when(point.start)}: ${point.count} (${Object.entries(point.levels).map(([l, n]) => `${l} ${n}`).join(", ")})`));
    for (const level of LEVELS) {
      const count = point.levels[level] || 0;
      if (!count) continue;
      const size = (count / most) * (height - 4);
      y -= size;
      bar.append(svg("rect", { x: i * barWidth, y, width: Math.max(1, barWidth - 1), height: size, class: `lv-${level}` }));
    }
    chart.append(bar);
  });
  return chart;
}

export function mount(main, { me, params }) {
  let jobId = params.get("job");
  let cursor = null; // the next page's
  let current = null; // this page's
  const visited = [];
  const status = h("div", { "aria-live": "polite" });
  const picker = h("input", { type: "file", name: "log", "aria-describedby": "log-hint" });
  const format = select("log_format", FORMATS.map((f) => [f, f]), "auto");
  const earlier = select("job", [["", "— choose —"]], jobId || "");
  const readButton = h("button", { type: "submit", text: "Read the log" });
  const summaryHost = h("section", { "aria-label": "Summary" });
  const recordsBody = h("tbody");
  const text = h("input", { type: "search", name: "q", placeholder: "text in the message", autocomplete: "off" });
  const order = select("order", [["newest", "Newest first"], ["oldest", "Oldest first"]], "newest");
  const levelBoxes = LEVELS.map((level) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "level", value: level }), ` ${level}`));
  const prev = h("button", { type: "button", class: "quiet", text: "Previous", disabled: true, onclick: () => page(visited.pop() ?? null) });
  const next = h("button", { type: "button", class: "quiet", text: "Next", disabled: true, onclick: () => { visited.push(current); page(cursor); } });
  const recordsSection = h(
    "section",
    { "aria-labelledby": "records-title", hidden: true },
    h("h2", { id: "records-title", text: "Records" }),
    h(
      "form",
      { class: "toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); visited.length = 0; page(null); } },
      field("Message contains", text),
      field("Order", order),
      h("fieldset", { class: "levels" }, h("legend", { text: "Levels" }), levelBoxes),
      h("button", { type: "submit", text: "Filter" }),
      h("button", { type: "button", class: "quiet", text: "CSV", onclick: () => exportAs("csv") }),
      h("button", { type: "button", class: "quiet", text: "JSON lines", onclick: () => exportAs("jsonl") }),
    ),
    h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "Log records" }, h("thead", {}, h("tr", {}, ["Time", "Level", "Service", "Message", "Line"].map((t) => h("th", { scope: "col", text: t })))), recordsBody)),
    h("div", { class: "toolbar" }, prev, next),
  );

  const upForm = h(
    "form",
    { class: "inline-form", onsubmit: readLog },
    h("div", { class: "field" }, h("label", { for: "log-file", text: "Log file" }), picker, h("small", { id: "log-hint", text: "JSON lines, logfmt, syslog, Apache, CSV or plain text; .gz too." })),
    field("Format", format),
    allows(me, "write") ? readButton : null,
  );
  picker.id = "log-file";
  earlier.addEventListener("change", () => earlier.value && open(earlier.value));

  clear(
    main,
    h("div", { class: "screen-head" }, h("h1", { text: "Logs" })),
    h("div", { class: "panel" }, upForm, h("div", { class: "inline-form" }, field("Or open a log job", earlier))),
    status,
    summaryHost,
    recordsSection,
  );

  get("/jobs", { query: { limit: 100, exclude_configs: true } })
    .then(({ jobs }) => {
      for (const job of jobs.filter((j) => j.type === "Logs" && j.status === "Completed")) {
        earlier.append(h("option", { value: job.job_id, selected: job.job_id === jobId }, `${when(job.created_at)} · ${job.job_id.slice(0, 8)}`));
      }
    })
    .catch(() => {});

  function filters() {
    const levels = levelBoxes.map((label) => label.firstChild).filter((box) => box.checked).map((box) => box.value);
    return { q: text.value.trim() || null, order: order.value, level: levels.join(",") || null };
  }

  async function readLog(event) {
    event.preventDefault();
    if (!picker.files[0]) return status.replaceChildren(errorBox(new Error("Choose a log file first.")));
    busy(readButton, true);
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress" });
    status.replaceChildren(h("div", { class: "progress" }, bar, h("span", { text: "Reading…" })));
    try {
      const uploaded = await upload(picker.files[0], (share) => {
        bar.value = share * 0.2;
      });
      const { job_id: id } = await post("/logs", { file_id: uploaded.file_id, log_format: format.value });
      await followJob(id, { onProgress: (share) => { bar.value = 0.2 + 0.8 * share; } });
      history.replaceState(null, "", `/studio/logs?job=${id}`);
      await open(id);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(readButton, false);
    }
  }

  async function open(id) {
    jobId = id;
    status.replaceChildren();
    try {
      const summary = await get(`/logs/${id}/summary`);
      const levels = Object.entries(summary.levels).sort((a, b) => LEVELS.indexOf(a[0]) - LEVELS.indexOf(b[0]));
      clear(
        summaryHost,
        h("h2", { text: "Summary" }),
        h(
          "p",
          {},
          `${summary.records.toLocaleString()} records, ${summary.malformed} unreadable lines, from ${when(summary.first_timestamp)} to ${when(summary.last_timestamp)}.`,
        ),
        h("ul", { class: "legend", "aria-label": "Records by level" }, levels.map(([level, count]) => h("li", { class: `lv-${level}` }, h("span", { class: "swatch", "aria-hidden": "true" }), `${level} ${count}`))),
        h("div", { class: "panel" }, timeline(summary)),
        h(
          "details",
          {},
          h("summary", { text: "Most frequent messages" }),
          h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "Message templates" }, h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Count" }), h("th", { scope: "col", text: "Level" }), h("th", { scope: "col", text: "Template" }))), h("tbody", {}, summary.templates.map((t) => h("tr", {}, h("td", { text: t.count }), h("td", { text: t.level || "—" }), h("td", { class: "mono", text: t.template || "—" })))))),
        ),
      );
      recordsSection.hidden = false;
      visited.length = 0;
      await page(null);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  async function page(from) {
    current = from;
    try {
      const answer = await get(`/logs/${jobId}/records`, { query: { ...filters(), limit: 50, cursor: from } });
      recordsBody.replaceChildren(
        ...answer.records.map((r) =>
          h("tr", {}, h("td", { class: "mono", text: r.timestamp ? new Date(r.timestamp).toISOString().replace("T", " ").slice(0, 23) : "—" }), h("td", {}, h("span", { class: `level lv-${r.level}`, text: r.level || "—" })), h("td", { text: r.service || "—" }), h("td", { class: "mono msg", text: r.message }), h("td", { text: r.line })),
        ),
      );
      if (!answer.records.length) recordsBody.append(h("tr", {}, h("td", { colspan: "5", class: "muted", text: "No record matches." })));
      cursor = answer.next_cursor;
      next.disabled = !cursor;
      prev.disabled = visited.length === 0;
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  async function exportAs(kind) {
    try {
      const response = await request("GET", `/logs/${jobId}/export`, { query: { ...filters(), order: null, format: kind }, raw: true });
      download(`${jobId}.${kind}`, await response.blob());
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  (jobId ? open(jobId) : Promise.resolve()).finally(() => ready("logs"));
}
