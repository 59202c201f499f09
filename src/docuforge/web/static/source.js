// Where an operation's document comes from: a file dropped or picked (uploaded when the run
// starts), an earlier upload (its reducto:// id, nothing sent again), or an earlier job whose stored
// Document is reused through jobid:// (nothing re-read).

import { get, upload } from "./api.js";
import { field, h, select } from "./dom.js";

const ACCEPT = ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.webp,.bmp,.gif,.docx,.doc,.pptx,.ppt,.xlsx,.xls,.csv,.html,.md,.txt";

const UPLOADS_SHOWN = 100;

function size(bytes) {
  if (bytes == null) return "? KB";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// The organization's earlier uploads (GET /files), newest first, as options of a select.
export function uploadPicker({ extension, label = "Or an earlier upload", hint } = {}) {
  const picker = select("upload", [["", "— none —"]], "");
  const loaded = get("/files", { query: { status: "ready", limit: UPLOADS_SHOWN, extension } })
    .then(({ files, total }) => {
      for (const file of files) {
        const when = new Date(file.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
        const name = file.filename || file.file_id.replace("reducto://", "");
        picker.append(h("option", { value: file.file_id }, `${name} · ${file.extension || "?"} · ${size(file.size)} · ${when}`));
      }
      if (total > files.length) picker.append(h("option", { value: "", disabled: true }, `… and ${total - files.length} older`));
      return files;
    })
    .catch(() => []); // the list only offers a shortcut; the form works without it
  return { element: field(label, picker, hint || `The newest ${UPLOADS_SHOWN} of your organization's uploads: nothing is sent again.`), select: picker, loaded };
}

export function documentSource({ reuseTypes = ["Parse"], reuseLabel = "Or re-use an earlier parse", reuseHint, accept = ACCEPT, uploadExtension } = {}) {
  let file = null;
  const picker = h("input", { type: "file", name: "file", class: "visually-hidden", accept });
  const chosen = h("span", { class: "chosen", text: "No file chosen" });
  const drop = h(
    "label",
    { class: "drop" },
    h("strong", { text: "Drop a document here" }),
    h("span", { text: " or " }),
    h("span", { class: "linkish", text: "choose a file" }),
    picker,
    chosen,
  );
  const earlier = select("earlier", [["", "— none —"]], "");
  const uploads = uploadPicker({ extension: uploadExtension });

  function choose(next) {
    file = next;
    chosen.textContent = next ? `${next.name} · ${(next.size / 1024).toFixed(0)} KB` : "No file chosen";
    if (next) {
      earlier.value = "";
      uploads.select.value = "";
    }
  }
  picker.addEventListener("change", () => choose(picker.files[0] || null));
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    choose(event.dataTransfer.files[0] || null);
  });
  const only = (kept) => {
    if (!kept.value) return;
    choose(null);
    for (const other of [earlier, uploads.select]) if (other !== kept) other.value = "";
  };
  earlier.addEventListener("change", () => only(earlier));
  uploads.select.addEventListener("change", () => only(uploads.select));

  if (reuseTypes.length) get("/jobs", { query: { limit: 50, exclude_configs: true } })
    .then(({ jobs }) => {
      for (const job of jobs.filter((j) => reuseTypes.includes(j.type) && j.status === "Completed")) {
        const when = new Date(job.created_at).toLocaleString();
        earlier.append(h("option", { value: job.job_id }, `${job.type} · ${when} · ${job.num_pages ?? "?"} pages · ${job.job_id.slice(0, 8)}`));
      }
    })
    .catch(() => {
      // the list only offers a shortcut; the form works without it
    });

  return {
    element: h("fieldset", {}, h("legend", { text: "Document" }), drop, uploads.element, reuseTypes.length ? field(reuseLabel, earlier, reuseHint) : null),
    ready: () => Boolean(file || uploads.select.value || earlier.value),
    // The API's input for the chosen document: the upload's reducto:// id, or jobid://.
    async input(onProgress) {
      if (file) return (await upload(file, onProgress)).file_id;
      if (uploads.select.value) return uploads.select.value;
      return `jobid://${earlier.value}`;
    },
  };
}

// Poll a job until it ends; its answer, or an error carrying the job's own reason.
export async function followJob(jobId, { onProgress, isStopped = () => false, every = 400 } = {}) {
  for (;;) {
    if (isStopped()) return null;
    const job = await get(`/job/${jobId}`);
    if (job.status === "Completed") return job;
    if (job.status === "Failed") {
      const error = new Error(job.reason || "the job failed");
      error.name = job.error?.name || "FAILED";
      throw error;
    }
    onProgress?.(job.progress || 0);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
