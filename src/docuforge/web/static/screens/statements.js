// Financial statements: read a document's statements (a job, with its progress), the stored
// statements filtered by company and type, one statement with its lines, checks and the pages its
// values were read from, and a consolidation of the ones selected, with variances; each downloads
// as Excel, CSV or JSON from the API's own exports.

import { allows, get, post, request } from "../api.js";
import { busy, clear, download, errorBox, field, h, ready, select, when } from "../dom.js";
import { documentSource, followJob } from "../source.js";
import { consolidationView } from "../viewer/consolidation.js";
import { scaleWords, statementView, TYPE_NAMES } from "../viewer/statement.js";

const PAGE = 50;
const POLL_MS = 500;
const FORMATS = [
  ["xlsx", "Excel"],
  ["csv", "CSV"],
  ["json", "JSON"],
];

function typeName(type) {
  return TYPE_NAMES[type] || type;
}

// The API's export of a statement or consolidation, saved under the name the API gives it.
function exports(path, status) {
  return h(
    "div",
    { class: "downloads" },
    FORMATS.map(([format, label]) =>
      h("button", {
        type: "button",
        class: "quiet",
        text: label,
        onclick: async () => {
          try {
            const response = await request("GET", `${path}/export`, { query: { format }, raw: true });
            const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "")?.[1];
            download(name || `export.${format}`, await response.blob());
          } catch (error) {
            status.replaceChildren(errorBox(error));
          }
        },
      }),
    ),
  );
}

export function mount(main, { me, navigate, params }) {
  const status = h("div", { "aria-live": "polite" });
  let stopped = false;
  let view = null;
  const head = (title, back) =>
    h("div", { class: "screen-head" }, h("h1", { text: title }), back ? h("a", { href: "/studio/statements", "data-link": true, text: "All statements" }) : null);

  const statementId = params.get("statement");
  const consolidationId = params.get("consolidation");
  const jobId = params.get("job");

  if (statementId) {
    const title = h("h1", { text: "Statement" });
    const bar = h("div", { class: "result-bar" });
    const siblings = h("nav", { class: "siblings", "aria-label": "Statements of the same document" });
    const host = h("div");
    clear(main, h("div", { class: "screen-head" }, title, h("a", { href: "/studio/statements", "data-link": true, text: "All statements" })), siblings, bar, status, host);
    get(`/statements/${statementId}`)
      .then((statement) => {
        title.textContent = `${typeName(statement.statement_type)}${statement.company ? ` · ${statement.company}` : ""}`;
        const facts = [
          statement.title,
          `${statement.currency || "currency unknown"} in ${scaleWords(statement.scale)}`,
          `periods ${statement.periods.join(", ") || "—"}`,
          statement.pages.length ? `page ${statement.pages.join(", ")}` : null,
          `confidence ${Math.round(statement.confidence * 100)}%`,
        ].filter(Boolean);
        clear(bar, h("span", { class: "muted", text: facts.join(" · ") }), exports(`/statements/${statement.id}`, status));
        view = statementView(statement);
        host.append(view.element);
        if (statement.job_id) {
          get(`/job/${statement.job_id}`)
            .then((job) => {
              const ids = job.result?.statement_ids || [];
              if (ids.length < 2) return;
              return Promise.all(ids.map((id) => (id === statement.id ? statement : get(`/statements/${id}`)))).then((found) =>
                clear(
                  siblings,
                  h("span", { class: "muted", text: "From the same document: " }),
                  found.map((s) => h("a", { href: `/studio/statements?statement=${s.id}`, "data-link": true, "aria-current": s.id === statement.id ? "page" : null, text: typeName(s.statement_type) })),
                ),
              );
            })
            .catch(() => {
              // the other statements of the document are a shortcut; this one is shown regardless
            });
        }
        return view.loaded;
      })
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("statement"));
    return () => {
      stopped = true;
      view?.destroy();
    };
  }

  if (consolidationId) {
    const bar = h("div", { class: "result-bar" });
    const host = h("div", { "aria-live": "polite" });
    const title = h("h1", { text: "Consolidation" });
    clear(main, h("div", { class: "screen-head" }, title, h("a", { href: "/studio/statements", "data-link": true, text: "All statements" })), bar, status, host);
    const follow = async () => {
      for (;;) {
        const found = await get(`/consolidations/${consolidationId}`);
        if (found.status !== "pending" || stopped) return found;
        host.replaceChildren(h("p", { class: "muted", text: "Consolidating…" }));
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    follow()
      .then((found) => {
        if (!found || stopped) return;
        title.textContent = `Consolidation${found.name ? ` · ${found.name}` : ""}`;
        if (found.status === "failed") throw Object.assign(new Error(found.error || "the consolidation failed"), { name: "PROCESSING_FAILED" });
        clear(bar, h("span", { class: "muted", text: `${found.company || "—"} · ${found.statement_ids.length} statement(s) · ${when(found.created_at)}` }), exports(`/consolidations/${found.id}`, status));
        clear(host, consolidationView(found.result));
      })
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("consolidation"));
    return () => {
      stopped = true;
    };
  }

  // The list, the reading form and the consolidation of the statements selected.
  const canWrite = allows(me, "write");
  const source = documentSource({ reuseLabel: "Or read an earlier parse", reuseHint: "Its stored document is read: nothing is parsed again.", accept: ".pdf,.png,.jpg,.jpeg,.tif,.tiff" });
  const company = h("input", { name: "company", autocomplete: "off", maxlength: "200", placeholder: "as printed, when left empty" });
  const readButton = h("button", { type: "submit", text: "Read statements" });
  const readForm = h(
    "form",
    { class: "parse-form", onsubmit: read },
    source.element,
    h("fieldset", {}, h("legend", { text: "Options" }), field("Company", company, "Names the company when the document does not name it clearly.")),
    readButton,
  );
  const formBox = h("details", { class: "new-parse", open: !jobId }, h("summary", { text: "Read the statements of a document" }), readForm);

  const filterCompany = h("input", { name: "filter_company", type: "search", autocomplete: "off" });
  const filterType = select("type", [["", "All"], ...Object.entries(TYPE_NAMES)], "");
  const body = h("tbody");
  const pager = h("div", { class: "toolbar pager" });
  const chosen = new Set();
  const consolidateButton = h("button", { type: "submit", text: "Consolidate selected", disabled: true });
  const meaning = h("input", { type: "checkbox", name: "embeddings", checked: true });
  const name = h("input", { name: "name", autocomplete: "off", maxlength: "200" });
  const consolidateForm = h(
    "form",
    { class: "inline-form", onsubmit: consolidate },
    field("Consolidation name", name, "Optional."),
    h("div", { class: "field" }, h("label", { class: "check" }, meaning, " Match differently worded labels by meaning")),
    consolidateButton,
  );
  let offset = 0;

  clear(
    main,
    head("Financial statements"),
    canWrite ? formBox : null,
    status,
    h(
      "form",
      {
        class: "toolbar",
        role: "search",
        onsubmit: (event) => {
          event.preventDefault();
          offset = 0;
          load();
        },
      },
      field("Company", filterCompany),
      field("Statement type", filterType),
      h("button", { type: "submit", class: "quiet", text: "Filter" }),
    ),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "list", "aria-label": "Statements" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Select" })), ["Statement", "Company", "Periods", "Lines", "Checks", "Read"].map((t) => h("th", { scope: "col", text: t })))),
        body,
      ),
    ),
    pager,
    canWrite ? h("section", { class: "panel", "aria-labelledby": "consolidate-title" }, h("h2", { id: "consolidate-title", text: "Consolidate" }), h("p", { class: "muted", text: "One company's statements of several periods: accounts aligned across periods, with variances and trends." }), consolidateForm) : null,
  );
  filterType.addEventListener("change", () => {
    offset = 0;
    load();
  });

  function row(statement) {
    const failed = statement.checks.filter((c) => !c.ok).length;
    const label = `${typeName(statement.statement_type)}, ${statement.company || "no company"}, ${statement.period || ""}`;
    const box = h("input", { type: "checkbox", checked: chosen.has(statement.id), "aria-label": `Select ${label}` });
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(statement.id);
      else chosen.delete(statement.id);
      consolidateButton.disabled = chosen.size === 0;
      consolidateButton.textContent = chosen.size ? `Consolidate ${chosen.size} selected` : "Consolidate selected";
    });
    return h(
      "tr",
      { dataset: { statement: statement.id } },
      h("td", {}, canWrite ? box : null), // consolidating is writing: a viewer has nothing to select for
      h("td", {}, h("a", { href: `/studio/statements?statement=${statement.id}`, "data-link": true, text: typeName(statement.statement_type) }), statement.title ? h("div", { class: "muted small", text: statement.title }) : null),
      h("td", { text: statement.company || "—" }),
      h("td", { text: statement.periods.join(", ") || "—" }),
      h("td", { text: statement.lines.length }),
      h("td", {}, h("span", { class: `status ${failed ? "failed" : "completed"}`, text: `${statement.checks.length - failed}/${statement.checks.length} pass` })),
      h("td", { text: when(statement.created_at) }),
    );
  }

  async function load() {
    try {
      const { statements, total } = await get("/statements", { query: { company: filterCompany.value.trim(), type: filterType.value, limit: PAGE, offset } });
      body.replaceChildren(...statements.map(row));
      if (!statements.length) body.append(h("tr", {}, h("td", { colspan: "7", class: "muted", text: "No statement yet: read a document's." })));
      clear(
        pager,
        h("span", { class: "muted", text: total ? `${offset + 1}-${offset + statements.length} of ${total}` : "" }),
        offset > 0
          ? h("button", { type: "button", class: "quiet small", text: "Newer", onclick: () => ((offset = Math.max(0, offset - PAGE)), load()) })
          : null,
        offset + statements.length < total ? h("button", { type: "button", class: "quiet small", text: "Older", onclick: () => ((offset += PAGE), load()) }) : null,
      );
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  function progress(text) {
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress" });
    const label = h("span", { text });
    status.replaceChildren(h("div", { class: "progress" }, bar, label));
    return [bar, label];
  }

  async function follow(id, bar, label) {
    const job = await followJob(id, {
      isStopped: () => stopped,
      onProgress: (share) => {
        bar.value = 0.1 + 0.9 * share;
        label.textContent = `Reading… ${Math.round(share * 100)}%`;
      },
    });
    if (!job) return;
    const ids = job.result?.statement_ids || [];
    if (!ids.length) {
      status.replaceChildren(h("p", { class: "muted", text: "No financial statement was found in this document." }));
      return;
    }
    navigate(`/statements?statement=${ids[0]}`, { replace: true });
  }

  async function read(event) {
    event.preventDefault();
    if (!source.ready()) return status.replaceChildren(errorBox(new Error("Choose a document first.")));
    busy(readButton, true);
    const [bar, label] = progress("Uploading…");
    try {
      const input = await source.input((share) => {
        bar.value = share * 0.1;
      });
      const { job_id: id } = await post("/statements/read", { input, company: company.value.trim() || null });
      history.replaceState(null, "", `/studio/statements?job=${id}`);
      label.textContent = "Queued…";
      await follow(id, bar, label);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(readButton, false);
    }
  }

  async function consolidate(event) {
    event.preventDefault();
    if (!chosen.size) return;
    busy(consolidateButton, true);
    try {
      const made = await post("/consolidations", { statement_ids: [...chosen], name: name.value.trim() || null, options: { embeddings: meaning.checked } });
      navigate(`/statements?consolidation=${made.id}`);
    } catch (error) {
      status.replaceChildren(errorBox(error));
      busy(consolidateButton, false);
    }
  }

  const listed = load();
  if (jobId) {
    const [bar, label] = progress("Loading the job…");
    follow(jobId, bar, label)
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("statements"));
  } else listed.finally(() => ready("statements"));
  return () => {
    stopped = true;
  };
}
