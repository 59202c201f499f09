// What the split, classify and fill screens share: a form with the document and the operation's
// own inputs, an asynchronous run with its progress, then the job's answer handed to the screen.

import { allows, post } from "./api.js";
import { busy, clear, errorBox, h, ready } from "./dom.js";
import { documentSource, followJob } from "./source.js";

export function operationScreen(main, { me, params }, { id, title, verb, endpoint, inputs, body, show, source }) {
  let stopped = false;
  const status = h("div", { "aria-live": "polite" });
  const resultHost = h("section", { class: "result-host", "aria-label": "Result" });
  const doc = documentSource(source);
  const runButton = h("button", { type: "submit", text: verb });
  const form = h(
    "form",
    { class: "parse-form", onsubmit: run },
    doc.element,
    h("fieldset", {}, h("legend", { text: "Options" }), inputs),
    allows(me, "write") ? runButton : h("p", { class: "muted", text: "Your role may look at results but not start jobs." }),
  );
  const formBox = h("details", { class: "new-parse", open: true }, h("summary", { text: "Document and options" }), form);
  clear(main, h("div", { class: "screen-head" }, h("h1", { text: title })), formBox, status, resultHost);

  async function follow(jobId, bar, label) {
    const job = await followJob(jobId, {
      isStopped: () => stopped,
      onProgress: (share) => {
        bar.value = 0.1 + 0.9 * share;
        label.textContent = `Working… ${Math.round(share * 100)}%`;
      },
    });
    if (!job) return;
    status.replaceChildren(h("p", { class: "ok", text: `Done in ${(job.duration ?? 0).toFixed(1)} s` }));
    let response = job.result;
    if (response?.result?.type === "url") response = { ...response, result: await (await fetch(response.result.url)).json() };
    clear(resultHost, await show(response, jobId));
    formBox.open = false;
    resultHost.scrollIntoView({ block: "start" });
  }

  function progress(text) {
    const bar = h("progress", { max: "1", value: "0", "aria-label": "Progress" });
    const label = h("span", { text });
    status.replaceChildren(h("div", { class: "progress" }, bar, label));
    return [bar, label];
  }

  async function run(event) {
    event.preventDefault();
    if (!doc.ready()) return status.replaceChildren(errorBox(new Error("Choose a document first.")));
    let payload;
    try {
      payload = body();
    } catch (error) {
      return status.replaceChildren(errorBox(error));
    }
    busy(runButton, true);
    const [bar, label] = progress("Uploading…");
    try {
      const input = await doc.input((share) => {
        bar.value = share * 0.1;
      });
      const { job_id: jobId } = await post(endpoint, payload(input));
      history.replaceState(null, "", `/studio/${id}?job=${jobId}`);
      await follow(jobId, bar, label);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      busy(runButton, false);
    }
  }

  const jobId = params.get("job");
  if (jobId) {
    const [bar, label] = progress("Loading the result…");
    follow(jobId, bar, label)
      .catch((error) => status.replaceChildren(errorBox(error)))
      .finally(() => ready(id));
  } else ready(id);
  return () => {
    stopped = true;
  };
}

// A JSON editor field: parsed when the form runs, its error named.
export function jsonValue(textarea, what) {
  try {
    return JSON.parse(textarea.value);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${error.message}`);
  }
}
