// The media library page: drag-and-drop uploads with progress, search and filters, and a panel
// to edit a picture's alt text, caption, credit and focal point.
import { el, getJSON, postJSON } from "./http.js";
import { acceptDrops, uploadAll } from "./uploads.js";

const $ = (id) => document.getElementById(id);

function start() {
  const root = $("library");
  if (!root) return;
  const urls = JSON.parse($("library-urls").textContent);
  const grid = $("library-grid");
  let page = 1;
  let timer = null;
  let selected = null;

  function query() {
    const params = new URLSearchParams({ q: $("library-search").value.trim(), uploader: $("library-uploader").value,
      month: $("library-month").value, page: String(page) });
    return `${urls.pictures}?${params}`;
  }
  function tile(p) {
    const button = el("button", { type: "button", class: "desk-tile", "aria-label": `Edit ${p.title || p.alt || p.caption || `picture ${p.id}`}` },
      el("img", { src: p.thumb, alt: "", width: p.width, height: p.height, loading: "lazy" }));
    button.addEventListener("click", () => edit(p, button));
    const missing = !p.alt ? el("span", { class: "desk-badge", text: "No alt text" }) : null;
    return el("li", {}, button, el("span", { class: "desk-tile-caption", text: p.title || p.caption || "Untitled" }), missing);
  }
  async function load(reset) {
    if (reset) { page = 1; grid.replaceChildren(); }
    const data = await getJSON(query());
    grid.append(...data.results.map(tile));
    if (reset && !data.results.length) grid.append(el("li", { class: "desk-hint", text: "No pictures match." }));
    $("library-more").hidden = !data.has_next;
    $("library-status").textContent = `${grid.querySelectorAll(".desk-tile").length} pictures shown${data.has_next ? ", more below" : ""}`;
  }
  for (const id of ["library-search", "library-uploader", "library-month"]) {
    $(id).addEventListener(id === "library-search" ? "input" : "change", () => { clearTimeout(timer); timer = setTimeout(() => load(true), 200); });
  }
  $("library-more").addEventListener("click", () => { page += 1; load(false); });

  // --- uploads ---
  const upload = (files) => uploadAll(files, { url: urls.upload, list: $("library-progress"), onDone: (p) => grid.prepend(tile(p)) });
  const input = $("library-upload");
  if (input) input.addEventListener("change", (event) => upload(event.target.files));
  acceptDrops(root, upload);

  // --- editing one picture ---
  const panel = $("library-panel");
  const form = $("library-form");
  const focus = $("focal-point");
  function edit(p, button) {
    selected = { picture: p, button };
    panel.hidden = false;
    $("panel-image").src = p.url;
    $("panel-image").width = p.width;
    $("panel-image").height = p.height;
    $("panel-size").textContent = `${p.width} × ${p.height} px · ${p.renditions ? `${p.renditions} renditions ready` : "renditions being made"} · uploaded ${new Date(p.created_at).toLocaleDateString()}${p.uploaded_by ? ` by ${p.uploaded_by}` : ""}`;
    for (const name of ["title", "alt", "caption", "credit", "focal_x", "focal_y"]) form.elements[name].value = p[name];
    placeFocus();
    $("panel-errors").hidden = true;
    form.elements.alt.focus();
  }
  function placeFocus() {
    focus.style.left = `${Number(form.elements.focal_x.value) * 100}%`;
    focus.style.top = `${Number(form.elements.focal_y.value) * 100}%`;
  }
  $("panel-image").addEventListener("click", (event) => {
    const box = event.currentTarget.getBoundingClientRect();
    form.elements.focal_x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    form.elements.focal_y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    placeFocus();
  });
  form.elements.focal_x.addEventListener("input", placeFocus);
  form.elements.focal_y.addEventListener("input", placeFocus);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!selected) return;
    const data = {};
    for (const name of ["title", "alt", "caption", "credit"]) data[name] = form.elements[name].value;
    data.focal_x = form.elements.focal_x.value;
    data.focal_y = form.elements.focal_y.value;
    const { status, body } = await postJSON(urls.edit.replace("0", String(selected.picture.id)), data);
    const errors = $("panel-errors");
    if (status === 200) {
      Object.assign(selected.picture, body.picture);
      errors.hidden = true;
      $("panel-saved").textContent = "Saved.";
      setTimeout(() => { $("panel-saved").textContent = ""; }, 3000);
    } else {
      errors.textContent = body.errors ? Object.values(body.errors).flat().join(" ") : body.error;
      errors.hidden = false;
    }
  });
  $("panel-close").addEventListener("click", () => { panel.hidden = true; if (selected) selected.button.focus(); });
  load(true);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
