// Drag-and-drop and chosen files go up side by side (three at a time), each with a progress bar.
import { el, uploadPicture } from "./http.js";

export function uploadAll(files, { url, list, onDone }) {
  const queue = Array.from(files);
  const running = [];
  const next = () => {
    const file = queue.shift();
    if (!file) return null;
    const bar = el("progress", { max: "1", value: "0", "aria-label": `Uploading ${file.name}` });
    const status = el("span", { class: "desk-progress-status", text: "uploading…" });
    const row = el("li", {}, el("span", { class: "desk-progress-name", text: file.name }), bar, status);
    list.append(row);
    return uploadPicture(url, file, (share) => { bar.value = share; }).then(({ status: code, body }) => {
      if (code === 201) {
        bar.value = 1;
        status.textContent = "done";
        row.classList.add("is-done");
        onDone(body.picture);
      } else {
        status.textContent = body.error || "The upload failed.";
        row.classList.add("is-error");
      }
      return next();
    });
  };
  for (let i = 0; i < 3; i += 1) running.push(next());
  return Promise.all(running);
}

export function acceptDrops(zone, handle) {
  zone.addEventListener("dragover", (event) => {
    if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
    event.preventDefault();
    zone.classList.add("is-dropping");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("is-dropping"));
  zone.addEventListener("drop", (event) => {
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    zone.classList.remove("is-dropping");
    handle(event.dataTransfer.files);
  });
}
