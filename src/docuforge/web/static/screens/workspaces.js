// Workspaces: create one, add documents and watch them being indexed, ask a question and read the
// answer with its citations (document, page, the passage itself, and the page as an image with
// the passage's box drawn on it).

import { allows, get, post, request } from "../api.js";
import { busy, clear, download, errorBox, field, h, ready, toast, when } from "../dom.js";

const POLL_MS = 1500;
const BUSY = new Set(["pending", "indexing"]);

function uploadTo(workspaceId, file) {
  const form = new FormData();
  form.append("file", file, file.name);
  return request("POST", `/workspaces/${workspaceId}/documents`, { body: form });
}

// The cited page, drawn when the citation is opened: the page image the API draws from the
// document's upload, and the passage's box over it (its bbox times the image's size).
function citedPage(workspaceId, citation, urls) {
  const frame = h("div", { class: "cited-page" });
  const figure = h("figure", { class: "cited-figure" }, frame, h("figcaption", { class: "muted", text: `Page ${citation.page} of ${citation.filename}` }));
  const img = h("img", { alt: `Page ${citation.page} of ${citation.filename}, the passage boxed`, decoding: "async" });
  frame.append(img);
  if (citation.bbox) {
    const { left, top, width, height } = citation.bbox;
    const box = h("div", { class: "box t-text selected cited-box", "aria-hidden": "true" });
    Object.assign(box.style, { left: `${left * 100}%`, top: `${top * 100}%`, width: `${width * 100}%`, height: `${height * 100}%` });
    frame.append(box);
  }
  const loading = h("p", { class: "muted", text: "Drawing the page…" });
  figure.prepend(loading);
  request("GET", `/workspaces/${workspaceId}/documents/${citation.document_id}/pages/${citation.page}.png`, { raw: true })
    .then(async (response) => {
      const url = URL.createObjectURL(await response.blob());
      urls.push(url);
      img.src = url;
      await img.decode().catch(() => {});
      frame.classList.add("shown");
    })
    .catch((error) => frame.replaceWith(errorBox(error)))
    .finally(() => loading.remove());
  return figure;
}

export function mount(main, { me, navigate, params }) {
  const canWrite = allows(me, "write");
  const workspaceId = params.get("ws");
  let timer = null;
  let stopped = false;
  const pageUrls = [];
  const status = h("div", { "aria-live": "polite" });

  if (!workspaceId) {
    const body = h("tbody");
    const name = h("input", { name: "name", required: true, maxlength: "200", autocomplete: "off" });
    const description = h("input", { name: "description", maxlength: "10000", autocomplete: "off" });
    const create = h("button", { type: "submit", text: "Create workspace" });
    const form = h(
      "form",
      {
        class: "inline-form",
        onsubmit: async (event) => {
          event.preventDefault();
          busy(create, true);
          try {
            const created = await post("/workspaces", { name: name.value, description: description.value || null });
            navigate(`/workspaces?ws=${created.id}`);
          } catch (error) {
            status.replaceChildren(errorBox(error));
            busy(create, false);
          }
        },
      },
      field("Name", name),
      field("Description", description),
      create,
    );
    clear(
      main,
      h("div", { class: "screen-head" }, h("h1", { text: "Workspaces" })),
      canWrite ? h("section", { class: "panel", "aria-labelledby": "new-ws" }, h("h2", { id: "new-ws", text: "New workspace" }), form) : null,
      status,
      h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "Workspaces" }, h("thead", {}, h("tr", {}, ["Name", "Status", "Documents", "Created"].map((t) => h("th", { scope: "col", text: t })))), body)),
    );
    get("/workspaces", { query: { limit: 200 } })
      .then(({ workspaces }) => {
        body.replaceChildren(
          ...workspaces.map((ws) =>
            h("tr", {}, h("td", {}, h("a", { href: `/studio/workspaces?ws=${ws.id}`, "data-link": true, text: ws.name })), h("td", {}, h("span", { class: `status ${ws.status === "ready" ? "completed" : ws.status}`, text: ws.status })), h("td", { text: ws.document_count }), h("td", { text: when(ws.created_at) })),
          ),
        );
        if (!workspaces.length) body.append(h("tr", {}, h("td", { colspan: "4", class: "muted", text: "No workspace yet." })));
      })
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready("workspaces"));
    return undefined;
  }

  const title = h("h1", { text: "Workspace" });
  const docs = h("tbody");
  const picker = h("input", { type: "file", id: "ws-file", multiple: true });
  const add = h("button", { type: "submit", text: "Add" });
  const question = h("input", { name: "question", type: "search", required: true, maxlength: "4000", autocomplete: "off" });
  const ask = h("button", { type: "submit", text: "Ask" });
  const answerHost = h("section", { "aria-live": "polite", "aria-label": "Answer" });
  const questionList = h("textarea", { name: "questions", rows: "4", required: true, placeholder: "One question a line" });
  const runSet = h("button", { type: "submit", text: "Run the questions" });
  const setHost = h("section", { "aria-live": "polite", "aria-label": "Answers to the questions" });
  const setForm = h("form", { onsubmit: runQuestions }, field("Questions", questionList, "Answered as one job; the answers download as CSV or JSON."), runSet);

  const addForm = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (event) => {
        event.preventDefault();
        if (!picker.files.length) return;
        busy(add, true);
        try {
          for (const file of picker.files) {
            const answer = await uploadTo(workspaceId, file);
            const duplicate = answer.documents.every((d) => d.duplicate);
            toast(duplicate ? `${file.name} was already there` : `${file.name} added; indexing`);
          }
          picker.value = "";
          await load();
        } catch (error) {
          status.replaceChildren(errorBox(error));
        } finally {
          busy(add, false);
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: "ws-file", text: "Documents" }), picker),
    add,
  );
  const askForm = h("form", { class: "inline-form", onsubmit: askQuestion }, field("Question", question), ask);

  clear(
    main,
    h("div", { class: "screen-head" }, title, h("a", { href: "/studio/workspaces", "data-link": true, text: "All workspaces" })),
    status,
    h("section", { class: "panel", "aria-labelledby": "ask-title" }, h("h2", { id: "ask-title", text: "Ask" }), askForm, answerHost),
    canWrite ? h("section", { class: "panel", "aria-labelledby": "set-title" }, h("h2", { id: "set-title", text: "Question set" }), setForm, setHost) : null,
    h("h2", { text: "Documents" }),
    canWrite ? h("div", { class: "panel" }, addForm) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "Documents" }, h("thead", {}, h("tr", {}, ["File", "Status", "Pages", "Passages", "Added"].map((t) => h("th", { scope: "col", text: t })), h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))), docs)),
  );

  async function askQuestion(event) {
    event.preventDefault();
    busy(ask, true);
    try {
      const answer = await post(`/workspaces/${workspaceId}/ask`, { question: question.value });
      const list = h(
        "ol",
        { class: "citations" },
        answer.citations.map((c, i) =>
          h(
            "li",
            {},
            h(
              "details",
              {
                dataset: { citation: i },
                // Records (JSON, CSV rows) have no page; a document's page is drawn on first opening.
                ontoggle: (event) => {
                  const details = event.currentTarget;
                  if (details.open && c.bbox && !details.querySelector(".cited-figure, .error")) details.append(citedPage(workspaceId, c, pageUrls));
                },
              },
              h("summary", {}, h("strong", { text: c.filename }), ` · page ${c.page}`, c.row != null ? ` · row ${c.row}` : "", c.score != null ? h("span", { class: "muted", text: ` · score ${c.score.toFixed(2)}` }) : ""),
              h("blockquote", { text: c.text }),
            ),
          ),
        ),
      );
      clear(
        answerHost,
        h("p", { class: "answer", text: answer.answer }),
        h("p", { class: "muted", text: `Confidence ${(answer.confidence * 100).toFixed(0)}% · ${answer.engine}` }),
        answer.citations.length ? [h("h3", { text: "Citations" }), list] : h("p", { class: "muted", text: "No passage supports an answer." }),
      );
    } catch (error) {
      answerHost.replaceChildren(errorBox(error));
    } finally {
      busy(ask, false);
    }
  }

  async function runQuestions(event) {
    event.preventDefault();
    const asked = questionList.value.split("\n").map((q) => q.trim()).filter(Boolean);
    if (!asked.length) return;
    busy(runSet, true);
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress of the questions" });
    setHost.replaceChildren(h("div", { class: "progress" }, bar));
    try {
      const { job_id: jobId } = await post(`/workspaces/${workspaceId}/question-jobs`, { questions: asked.map((question) => ({ question })) });
      let job;
      for (;;) {
        job = await get(`/workspaces/${workspaceId}/question-jobs/${jobId}`);
        bar.value = job.progress;
        if (!["pending", "running"].includes(job.status) || stopped) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (job.status !== "completed") throw new Error(job.error || `the question job ended ${job.status}`);
      const save = (format) => async () => {
        try {
          const response = await request("GET", `/workspaces/${workspaceId}/question-jobs/${jobId}/export`, { query: { format }, raw: true });
          download(`questions-${jobId}.${format}`, await response.blob());
        } catch (error) {
          setHost.append(errorBox(error));
        }
      };
      clear(
        setHost,
        h("div", { class: "toolbar" }, h("button", { type: "button", class: "quiet", text: "CSV", onclick: save("csv") }), h("button", { type: "button", class: "quiet", text: "JSON", onclick: save("json") })),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "list", "aria-label": "Answers" },
            h("thead", {}, h("tr", {}, ["Question", "Answer", "Confidence", "Sources"].map((t) => h("th", { scope: "col", text: t })))),
            h("tbody", {}, (job.results || []).map((r) => h("tr", {}, h("td", { text: r.question }), h("td", { class: "msg", text: r.answer }), h("td", { text: `${(r.retrieval_confidence * 100).toFixed(0)}%` }), h("td", { text: r.citations.map((c) => `${c.filename} p${c.page}`).join("; ") || "—" })))),
          ),
        ),
      );
    } catch (error) {
      setHost.replaceChildren(errorBox(error));
    } finally {
      busy(runSet, false);
    }
  }

  function row(doc) {
    const remove = canWrite
      ? h("button", {
          type: "button",
          class: "danger small",
          text: "Remove",
          "aria-label": `Remove ${doc.filename}`,
          onclick: async () => {
            if (!confirm(`Remove ${doc.filename} from the workspace?`)) return;
            try {
              await request("DELETE", `/workspaces/${workspaceId}/documents/${doc.id}`);
            } catch (error) {
              status.replaceChildren(errorBox(error));
            }
            await load();
          },
        })
      : null;
    return h(
      "tr",
      { dataset: { document: doc.id } },
      h("td", { text: doc.filename }),
      h("td", {}, h("span", { class: `status ${doc.status === "ready" ? "completed" : doc.status}`, text: doc.status }), doc.error ? h("span", { class: "muted", text: ` ${doc.error}` }) : null),
      h("td", { text: doc.pages ?? "—" }),
      h("td", { text: doc.passages ?? "—" }),
      h("td", { text: when(doc.created_at) }),
      h("td", { class: "actions" }, remove),
    );
  }

  async function load() {
    clearTimeout(timer);
    try {
      const [workspace, list] = await Promise.all([get(`/workspaces/${workspaceId}`), get(`/workspaces/${workspaceId}/documents`, { query: { limit: 200 } })]);
      title.textContent = workspace.name;
      docs.replaceChildren(...list.documents.map(row));
      if (!list.documents.length) docs.append(h("tr", {}, h("td", { colspan: "6", class: "muted", text: "No document yet." })));
      if (!stopped && list.documents.some((d) => BUSY.has(d.status))) timer = setTimeout(load, POLL_MS);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  load().finally(() => ready("workspace"));
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const url of pageUrls) URL.revokeObjectURL(url);
  };
}

