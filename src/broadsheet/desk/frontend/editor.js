// The story editor: Tiptap (ProseMirror) for the body, the story's settings beside it, autosave
// with version numbers (a save over someone's newer version is refused and compared), presence.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Link from "@tiptap/extension-link";
import Placeholder from "@tiptap/extension-placeholder";
import Table from "@tiptap/extension-table";
import TableRow from "@tiptap/extension-table-row";
import TableHeader from "@tiptap/extension-table-header";
import TableCell from "@tiptap/extension-table-cell";
import { Picture, Gallery, Embed, PullQuote, Cite, Quote, providerFor } from "./nodes.js";
import { el, getJSON, postJSON } from "./http.js";
import { acceptDrops, uploadAll } from "./uploads.js";
import { cleanPastedHTML } from "./paste.js";

const $ = (id) => document.getElementById(id);
const WORDS_PER_MINUTE = 230;

function start() {
  const root = $("desk-editor");
  if (!root) return;
  const story = JSON.parse($("story-data").textContent);
  const options = JSON.parse($("desk-options").textContent);
  const backupKey = `desk:story:${story.id}`;
  const clientId = tabId();
  let version = story.version;
  let current = story;
  let dirty = false;
  let saving = null;
  let blocked = false; // a conflict or a refusal waits for the person to decide
  let slugTouched = false;
  const state = { tags: [...story.tags], lead: story.lead_picture, social: story.social_picture };

  // --- the body editor ---
  const editor = new Editor({
    element: $("body-editor"),
    injectCSS: false, // our policy allows no inline <style>; desk.css carries what it would add
    extensions: [
      StarterKit.configure({ heading: { levels: [2, 3, 4] }, codeBlock: false, blockquote: false }),
      Quote, Cite, PullQuote, Picture, Gallery, Embed,
      Link.configure({ openOnClick: false, autolink: true, protocols: ["mailto"], HTMLAttributes: { rel: null, target: null, class: null } }),
      Table.configure({ resizable: false }), TableRow, TableHeader, TableCell,
      Placeholder.configure({ placeholder: "Write the story. Type ## for a heading; paste a video link to embed it." }),
    ],
    content: story.body || "",
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", "aria-label": "Story text", class: "desk-prose", spellcheck: "true" },
      transformPastedHTML: cleanPastedHTML,
      handlePaste: (view, event) => {
        const text = (event.clipboardData && event.clipboardData.getData("text/plain")) || "";
        if (/^\s*https:\/\/\S+\s*$/.test(text) && providerFor(text)) {
          editor.commands.insertEmbed(text.trim());
          return true;
        }
        return false;
      },
    },
    onUpdate: () => { changed(); counts(); },
  });

  // --- the fields beside it ---
  const fields = {
    headline: $("headline"), summary: $("summary"), slug: $("slug"), section: $("section"),
    language: $("language"), source_name: $("source-name"), source_url: $("source-url"),
    seo_title: $("seo-title"), seo_description: $("seo-description"), comments_open: $("comments-open"),
    pinned: $("pinned"),
  };
  for (const [value, label] of options.sections) fields.section.append(el("option", { value, text: label }));
  for (const [value, label] of options.languages) fields.language.append(el("option", { value, text: label }));
  if (!options.languages.some(([code]) => code === story.language)) fields.language.append(el("option", { value: story.language, text: story.language }));
  const authorsBox = $("authors");
  if (!options.authors.length) authorsBox.append(el("p", { class: "desk-hint", text: "No authors yet: add them under Authors in the back office." }));
  for (const [value, label] of options.authors) {
    authorsBox.append(el("label", { class: "desk-check" }, el("input", { type: "checkbox", value, name: "authors", onchange: changed }), ` ${label}`));
  }

  function fill(data) {
    fields.headline.value = data.headline;
    fields.summary.value = data.summary;
    fields.slug.value = data.slug;
    fields.section.value = String(data.section);
    fields.language.value = data.language;
    fields.source_name.value = data.source_name;
    fields.source_url.value = data.source_url;
    fields.seo_title.value = data.seo_title;
    fields.seo_description.value = data.seo_description;
    fields.comments_open.checked = data.comments_open;
    fields.pinned.checked = data.pinned;
    authorsBox.querySelectorAll("input").forEach((box) => { box.checked = data.authors.includes(Number(box.value)); });
    state.tags = [...data.tags];
    state.lead = data.lead_picture;
    state.social = data.social_picture;
    renderTags();
    renderPicture("lead", state.lead);
    renderPicture("social", state.social);
    grow(fields.headline);
    seoCounts();
  }

  function collect() {
    return {
      headline: fields.headline.value, summary: fields.summary.value, body: editor.getHTML() === "<p></p>" ? "" : editor.getHTML(),
      slug: slugTouched || current.is_published ? fields.slug.value : "",
      section: fields.section.value, language: fields.language.value, source_name: fields.source_name.value,
      source_url: fields.source_url.value, seo_title: fields.seo_title.value, seo_description: fields.seo_description.value,
      comments_open: fields.comments_open.checked, tags: state.tags,
      ...(options.can_publish ? { pinned: fields.pinned.checked } : {}),
      authors: Array.from(authorsBox.querySelectorAll("input:checked")).map((box) => Number(box.value)),
      lead_picture: state.lead ? state.lead.id : "", social_picture: state.social ? state.social.id : "",
    };
  }

  function showStory(data) {
    current = data;
    version = data.version;
    $("state").textContent = data.state;
    $("crumb-headline").textContent = data.headline || "New story";
    document.title = `${data.headline || "New story"} | Desk`;
    $("preview-link").href = data.preview_url;
    $("revisions-link").href = options.urls.revisions;
    $("view-link").href = data.url;
    $("view-link").hidden = !data.is_published;
    $("action-publish").textContent = data.is_published ? "Update" : "Publish";
    $("action-publish").hidden = !options.can_publish;
    $("schedule-box").hidden = !options.can_publish;
    $("lead-box").hidden = !options.can_publish;
    $("action-unpublish").hidden = !options.can_publish || !data.is_published;
    $("action-review").hidden = data.status === "review" || (data.is_published && !options.can_publish);
    if (!slugTouched && !data.is_published) fields.slug.value = data.slug;
  }

  // --- counts ---
  function counts() {
    const words = (editor.getText().match(/\S+/g) || []).length;
    const minutes = Math.ceil(words / WORDS_PER_MINUTE);
    $("counts").textContent = `${words} ${words === 1 ? "word" : "words"} · ${words === 0 ? "nothing to read yet" : `${minutes} ${minutes === 1 ? "minute" : "minutes"} to read`}`;
  }
  function seoCounts() {
    $("seo-title-count").textContent = `${fields.seo_title.value.length}/60 suggested`;
    $("seo-description-count").textContent = `${fields.seo_description.value.length}/160 suggested`;
  }
  function grow(area) { area.style.height = "auto"; area.style.height = `${area.scrollHeight}px`; }

  // --- saving ---
  function setSaveState(text, kind = "") {
    const node = $("save-state");
    node.textContent = text;
    node.dataset.kind = kind;
  }
  function notice(text) {
    const node = $("notice");
    node.textContent = text || "";
    node.hidden = !text;
  }
  function showErrors(errors) {
    document.querySelectorAll(".desk-error[id^=error-]").forEach((node) => { node.hidden = true; node.textContent = ""; });
    const general = [];
    for (const [name, messages] of Object.entries(errors || {})) {
      const node = $(`error-${name}`);
      if (node) { node.textContent = messages.join(" "); node.hidden = false; } else general.push(messages.join(" "));
    }
    notice(general.join(" "));
  }
  function backup() {
    try { localStorage.setItem(backupKey, JSON.stringify({ version, fields: collect(), at: new Date().toISOString() })); } catch (error) { /* private mode */ }
  }
  function changed() {
    dirty = true;
    setSaveState(autosaves() ? "Unsaved changes…" : "Changes not live yet: press Update", "dirty");
    backup();
  }
  // A published story changes for readers only when an editor presses Update.
  function autosaves() { return !current.is_published; }

  async function save(action = "save", { keepalive = false, publishAt = null } = {}) {
    if (saving) await saving;
    if (blocked && action === "save") return null;
    const fieldsNow = collect();
    const payload = { version, fields: fieldsNow, action, client: clientId, seq: nextSeq() };
    if (publishAt) payload.publish_at = publishAt;
    setSaveState("Saving…", "saving");
    const wasDirty = dirty;
    dirty = false;
    saving = postJSON(options.urls.save, payload, { keepalive }).then(({ status, body }) => {
      saving = null;
      if (status === 200) {
        showErrors({});
        showStory(body.story);
        blocked = false;
        // What is typed but not saved yet is kept against the version it now builds on.
        if (!dirty) { try { localStorage.removeItem(backupKey); } catch (error) { /* ignore */ } } else backup();
        setSaveState(dirty ? "Unsaved changes…" : `Saved at ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })}`, dirty ? "dirty" : "saved");
        return body.story;
      }
      dirty = dirty || wasDirty;
      if (status === 409 && !body.diff.length && action === "save") {
        // The newer version has the same words (e.g. our own save sent as the page closed): go on from it.
        version = body.theirs.version;
        dirty = true;
        setSaveState("Unsaved changes…", "dirty");
      } else if (status === 409) { blocked = true; conflict(body, fieldsNow); setSaveState("Not saved: someone else saved a newer version", "error"); }
      else if (status === 400) { showErrors(body.errors); setSaveState("Not saved: see the messages", "error"); }
      else if (status === 403) { blocked = action !== "save" ? blocked : true; notice(body.error); setSaveState("Not saved", "error"); }
      else if (status === 401) { notice(body.error); setSaveState("Not saved: signed out", "error"); }
      else { setSaveState("Not saved: the server did not answer; trying again", "error"); }
      return null;
    }, () => {
      saving = null;
      dirty = true;
      setSaveState("Offline: your text is kept on this computer; saving when the connection is back", "error");
      return null;
    });
    return saving;
  }

  // --- conflicts: compare, then keep mine or take theirs ---
  function conflict(body, mine) {
    const dialog = $("conflict");
    const theirs = body.theirs;
    $("conflict-who").textContent = `${theirs.saved_by || "Someone"} saved this story at ${new Date(theirs.saved_at).toLocaleTimeString()} after you opened it.`;
    const diff = $("conflict-diff");
    diff.replaceChildren();
    const names = { headline: "Headline", summary: "Dek", body: "Story text" };
    for (const [field, parts] of body.diff) {
      const cell = el("div", { class: "desk-diff-text" });
      for (const [kind, text] of parts) cell.append(el("div", { class: `diff-${kind}`, text: text || " " }));
      diff.append(el("h3", { text: names[field] || field }), cell);
    }
    if (!body.diff.length) diff.append(el("p", { text: "The words are the same; other settings differ." }));
    $("conflict-mine").onclick = () => { version = theirs.version; blocked = false; dialog.close(); save(); };
    const takeTheirs = () => {
      blocked = false;
      dialog.close();
      try { localStorage.setItem(`${backupKey}:overwritten`, JSON.stringify({ fields: mine, at: new Date().toISOString() })); } catch (error) { /* ignore */ }
      editor.commands.setContent(theirs.body || "", false);
      fill(theirs);
      showStory(theirs);
      dirty = false;
      setSaveState("Showing their version", "saved");
    };
    $("conflict-theirs").onclick = () => { takeTheirs(); $("merge").hidden = true; };
    $("conflict-merge").onclick = () => {
      takeTheirs();
      const copy = new DOMParser().parseFromString(mine.body || "", "text/html");
      $("merge-text").replaceChildren(el("h3", { text: mine.headline }), el("p", { text: mine.summary }),
        ...Array.from(copy.body.children).map((block) => el("p", { text: block.textContent })));
      $("merge").hidden = false;
      $("merge").open = true;
      notice("Their version is in the editor. Yours is below it: copy in what you want to keep, and it saves as usual.");
    };
    dialog.showModal();
  }

  // --- workflow buttons ---
  $("action-save").addEventListener("click", () => save());
  $("action-review").addEventListener("click", () => save("review"));
  $("action-publish").addEventListener("click", () => save("publish"));
  $("action-unpublish").addEventListener("click", () => save("unpublish"));
  $("action-schedule").addEventListener("click", () => {
    const value = $("publish-at").value;
    if (!value) { showErrors({ publish_at: ["Choose the date and time to publish."] }); return; }
    save("schedule", { publishAt: new Date(value).toISOString() });
  });

  // --- field events ---
  for (const field of Object.values(fields)) field.addEventListener(field.type === "checkbox" || field.tagName === "SELECT" ? "change" : "input", changed);
  fields.headline.addEventListener("input", () => grow(fields.headline));
  fields.headline.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); fields.summary.focus(); } });
  fields.slug.addEventListener("input", () => {
    slugTouched = true;
    $("slug-warning").hidden = !(current.is_published && fields.slug.value !== current.slug);
  });
  fields.seo_title.addEventListener("input", seoCounts);
  fields.seo_description.addEventListener("input", seoCounts);

  // --- tags with type-ahead ---
  const tagInput = $("tag-input");
  const tagOptions = $("tag-options");
  function renderTags() {
    const chips = $("tag-chips");
    chips.replaceChildren(...state.tags.map((name) => el("li", { class: "desk-chip" }, name,
      el("button", { type: "button", "aria-label": `Remove tag ${name}`, text: "×", onclick: () => { state.tags = state.tags.filter((t) => t !== name); renderTags(); changed(); } }))));
  }
  function addTag(name) {
    const clean = name.trim();
    if (clean && !state.tags.some((t) => t.toLowerCase() === clean.toLowerCase())) { state.tags.push(clean); renderTags(); changed(); }
    tagInput.value = "";
    closeOptions();
  }
  function closeOptions() { tagOptions.hidden = true; tagInput.setAttribute("aria-expanded", "false"); tagInput.removeAttribute("aria-activedescendant"); }
  let tagTimer = null;
  tagInput.addEventListener("input", () => {
    clearTimeout(tagTimer);
    tagTimer = setTimeout(async () => {
      const text = tagInput.value.trim();
      if (!text) { closeOptions(); return; }
      const { tags } = await getJSON(`${options.urls.tags}?q=${encodeURIComponent(text)}`);
      tagOptions.replaceChildren(...tags.map((name, i) => el("li", { role: "option", id: `tag-option-${i}`, "aria-selected": "false", text: name,
        onmousedown: (event) => { event.preventDefault(); addTag(name); } })));
      tagOptions.hidden = !tags.length;
      tagInput.setAttribute("aria-expanded", tags.length ? "true" : "false");
    }, 150);
  });
  tagInput.addEventListener("keydown", (event) => {
    const items = Array.from(tagOptions.querySelectorAll("li"));
    let active = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      active = event.key === "ArrowDown" ? (active + 1) % items.length : (active - 1 + items.length) % items.length;
      items.forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
      tagInput.setAttribute("aria-activedescendant", items[active].id);
    } else if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      addTag(active >= 0 && !tagOptions.hidden ? items[active].textContent : tagInput.value);
    } else if (event.key === "Escape") closeOptions();
    else if (event.key === "Backspace" && !tagInput.value && state.tags.length) { state.tags.pop(); renderTags(); changed(); }
  });
  tagInput.addEventListener("blur", () => setTimeout(closeOptions, 100));

  // --- pictures: lead, social, inline and galleries, all from the library ---
  function renderPicture(slot, picture) {
    const box = $(`${slot}-picture`);
    box.replaceChildren();
    if (picture) box.append(el("img", { src: picture.url, alt: picture.alt || "", width: picture.width, height: picture.height }),
      el("p", { class: "desk-hint", text: picture.caption || picture.alt || "No caption yet" }));
    else box.append(el("p", { class: "desk-hint", text: "None chosen" }));
    $(`remove-${slot}`).hidden = !picture;
  }
  const picker = createPicker(options);
  $("choose-lead").addEventListener("click", () => picker.open({ multiple: false }, ([p]) => { state.lead = p; renderPicture("lead", p); changed(); }));
  $("choose-social").addEventListener("click", () => picker.open({ multiple: false }, ([p]) => { state.social = p; renderPicture("social", p); changed(); }));
  $("remove-lead").addEventListener("click", () => { state.lead = null; renderPicture("lead", null); changed(); });
  $("remove-social").addEventListener("click", () => { state.social = null; renderPicture("social", null); changed(); });
  const pictureNode = (p) => ({ type: "picture", attrs: { id: String(p.id), src: p.url, alt: p.alt, width: String(p.width), height: String(p.height), caption: p.caption, credit: p.credit } });
  const insertPictures = (pictures) => {
    if (pictures.length === 1) editor.chain().focus().insertContent(pictureNode(pictures[0])).run();
    else if (pictures.length > 1) editor.chain().focus().insertContent({ type: "gallery", content: pictures.map(pictureNode) }).run();
  };

  // --- embeds and links ---
  const embedDialog = $("embed-dialog");
  $("embed-form").addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.value !== "ok") return;
    const url = $("embed-url").value.trim();
    if (!providerFor(url)) {
      event.preventDefault();
      $("embed-error").textContent = "This address is not one we can embed. Use a YouTube, Vimeo, X, Instagram, TikTok, Facebook, Bluesky, Mastodon, SoundCloud or Spotify link, or add it as a link instead.";
      $("embed-error").hidden = false;
      return;
    }
    editor.chain().focus().insertEmbed(url).run();
  });
  const linkDialog = $("link-dialog");
  $("link-form").addEventListener("submit", (event) => {
    const url = $("link-url").value.trim();
    const chain = editor.chain().focus().extendMarkRange("link");
    if (event.submitter && event.submitter.value === "remove" || !url) chain.unsetLink().run();
    else if (/^(https?:\/\/|mailto:)/i.test(url)) chain.setLink({ href: url }).run();
  });

  // --- the toolbar ---
  const tools = [
    ["Paragraph", "¶ Text", () => editor.chain().focus().setParagraph().run(), () => editor.isActive("paragraph")],
    ["Heading", "H2", () => editor.chain().focus().toggleHeading({ level: 2 }).run(), () => editor.isActive("heading", { level: 2 })],
    ["Subheading", "H3", () => editor.chain().focus().toggleHeading({ level: 3 }).run(), () => editor.isActive("heading", { level: 3 })],
    ["Minor heading", "H4", () => editor.chain().focus().toggleHeading({ level: 4 }).run(), () => editor.isActive("heading", { level: 4 })],
    null,
    ["Bold (Ctrl+B)", "B", () => editor.chain().focus().toggleBold().run(), () => editor.isActive("bold")],
    ["Italic (Ctrl+I)", "I", () => editor.chain().focus().toggleItalic().run(), () => editor.isActive("italic")],
    ["Strikethrough", "S", () => editor.chain().focus().toggleStrike().run(), () => editor.isActive("strike")],
    ["Link (Ctrl+K)", "Link", () => openLink(), () => editor.isActive("link")],
    null,
    ["Bulleted list", "• List", () => editor.chain().focus().toggleBulletList().run(), () => editor.isActive("bulletList")],
    ["Numbered list", "1. List", () => editor.chain().focus().toggleOrderedList().run(), () => editor.isActive("orderedList")],
    ["Quote", "Quote", () => editor.chain().focus().toggleBlockquote().run(), () => editor.isActive("blockquote")],
    ["Pull quote", "Pull quote", () => editor.chain().focus().togglePullQuote().run(), () => editor.isActive("pullQuote")],
    ["Horizontal rule", "Rule", () => editor.chain().focus().setHorizontalRule().run(), null],
    ["Table", "Table", () => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), null],
    null,
    ["Picture from the library", "Picture", () => picker.open({ multiple: false }, insertPictures), null],
    ["Gallery of several pictures", "Gallery", () => picker.open({ multiple: true }, insertPictures), null],
    ["Embed a video, post or track", "Embed", () => { $("embed-url").value = ""; $("embed-error").hidden = true; embedDialog.showModal(); }, null],
    null,
    ["Undo (Ctrl+Z)", "Undo", () => editor.chain().focus().undo().run(), null],
    ["Redo (Ctrl+Shift+Z)", "Redo", () => editor.chain().focus().redo().run(), null],
  ];
  function openLink() {
    $("link-url").value = editor.getAttributes("link").href || "";
    linkDialog.showModal();
  }
  const toolbar = $("toolbar");
  const pressable = [];
  for (const tool of tools) {
    if (!tool) { toolbar.append(el("span", { class: "desk-toolbar-gap", "aria-hidden": "true" })); continue; }
    const [label, text, run, active] = tool;
    // The accessible name starts with what the button shows (WCAG 2.5.3, label in name).
    const name = label.toLowerCase().includes(text.toLowerCase()) ? label : `${text.replace(/^[¶•]\s*/, "")} ${label.charAt(0).toLowerCase()}${label.slice(1)}`.trim();
    const button = el("button", { type: "button", class: "desk-tool", "aria-label": name, title: label, text, onclick: run });
    if (active) { button.setAttribute("aria-pressed", "false"); pressable.push([button, active]); }
    toolbar.append(button);
  }
  // One tab stop for the toolbar; arrow keys move along it.
  const toolButtons = Array.from(toolbar.querySelectorAll("button"));
  toolButtons.forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", (event) => {
    const i = toolButtons.indexOf(document.activeElement);
    if (i < 0 || !["ArrowRight", "ArrowLeft", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const next = event.key === "Home" ? 0 : event.key === "End" ? toolButtons.length - 1 : (i + (event.key === "ArrowRight" ? 1 : -1) + toolButtons.length) % toolButtons.length;
    toolButtons[i].tabIndex = -1;
    toolButtons[next].tabIndex = 0;
    toolButtons[next].focus();
  });
  const refreshToolbar = () => pressable.forEach(([button, active]) => button.setAttribute("aria-pressed", active() ? "true" : "false"));
  editor.on("selectionUpdate", refreshToolbar);
  editor.on("transaction", refreshToolbar);
  editor.view.dom.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") { event.preventDefault(); openLink(); }
  });

  // --- presence ---
  async function presence() {
    const form = new FormData();
    const { status, body } = await fetch(options.urls.presence, { method: "POST", credentials: "same-origin", body: form,
      headers: { "X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]").value, Accept: "application/json" } })
      .then(async (r) => ({ status: r.status, body: r.headers.get("Content-Type").includes("json") ? await r.json() : {} }))
      .catch(() => ({ status: 0, body: {} }));
    if (status !== 200) return;
    const others = body.others || [];
    $("presence").textContent = others.length ? `${others.join(", ")} ${others.length === 1 ? "is" : "are"} also editing this story` : "";
  }

  // --- start ---
  fill(story);
  showStory(story);
  counts();
  if (story.is_published && !options.can_publish) {
    // The rule is the server's (a Writer cannot change a live story); the page says so up front.
    editor.setEditable(false);
    root.querySelectorAll("input, textarea, select, .desk-side button, .desk-toolbar button").forEach((control) => { control.disabled = true; });
    notice("This story is published: only an editor can change it. Ask an editor, or file a correction.");
  }
  // Words kept on this computer that the server may not have: the page can be older than a save
  // this tab sent as it closed (still on its way), or newer (that save, or an earlier one, landed
  // first). The backup is the newest thing typed here, so it comes back either way, built on the
  // version it was typed on: the server takes it when the newer versions are this tab's own, and
  // answers with a conflict to compare when someone else saved.
  let recovered = null;
  try {
    const saved = JSON.parse(localStorage.getItem(backupKey) || "null");
    if (saved && saved.fields && JSON.stringify(saved.fields) !== JSON.stringify(collect())) {
      editor.commands.setContent(saved.fields.body || "", false);
      fill({ ...story, ...saved.fields, lead_picture: story.lead_picture, social_picture: story.social_picture, section: saved.fields.section });
      version = saved.version;
      dirty = true;
      recovered = saved;
      notice(`Recovered your changes from ${new Date(saved.at).toLocaleString()} that had not reached the server.`);
      setSaveState("Recovered changes not saved yet", "dirty");
    } else if (saved) localStorage.removeItem(backupKey);
  } catch (error) { /* no storage */ }
  if (recovered && recovered.version !== story.version && autosaves()) save();
  if (!story.headline) fields.headline.focus();
  setInterval(() => { if (dirty && !saving && autosaves()) save(); }, options.autosave_seconds * 1000);
  presence();
  setInterval(presence, options.presence_seconds * 1000);
  const leave = () => {
    if (dirty && autosaves() && !blocked) save("save", { keepalive: true });
    const form = new FormData();
    form.append("csrfmiddlewaretoken", document.querySelector("input[name=csrfmiddlewaretoken]").value);
    form.append("leaving", "1");
    navigator.sendBeacon(options.urls.presence, form);
  };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden" && dirty && autosaves() && !blocked) save("save", { keepalive: true }); });
  window.addEventListener("pagehide", leave);
  window.addEventListener("beforeunload", (event) => { if (dirty && !autosaves()) { event.preventDefault(); event.returnValue = ""; } });
  window.deskEditor = { editor, save, isDirty: () => dirty, version: () => version };
}

// This tab's name for the server (kept across reloads): a save the tab sent as it closed is its
// own, not someone else's newer version.
function tabId() {
  try {
    let id = sessionStorage.getItem("desk:tab");
    if (!id) { id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`; sessionStorage.setItem("desk:tab", id); }
    return id;
  } catch (error) { return ""; }
}

// Saves from this tab are numbered, across reloads too: a late save the tab sent earlier (as a
// page closed) never wins over one it sent after.
function nextSeq() {
  try {
    const seq = Number(sessionStorage.getItem("desk:seq") || "0") + 1;
    sessionStorage.setItem("desk:seq", String(seq));
    return seq;
  } catch (error) { return Date.now(); }
}

// The picture chooser: the library's pages, search, and uploads by drag and drop or file choice.
function createPicker(options) {
  const dialog = $("picker");
  const grid = $("picker-grid");
  let page = 1;
  let chosen = [];
  let multiple = false;
  let onChoose = null;
  let timer = null;
  const tile = (p) => {
    const button = el("button", { type: "button", class: "desk-tile", "aria-pressed": "false", "aria-label": p.alt || p.title || p.caption || `Picture ${p.id}` },
      el("img", { src: p.thumb, alt: "", width: p.width, height: p.height, loading: "lazy" }));
    button.addEventListener("click", () => {
      if (!multiple) { chosen = [p]; grid.querySelectorAll("[aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false")); }
      else if (chosen.includes(p)) chosen = chosen.filter((c) => c !== p);
      else chosen.push(p);
      button.setAttribute("aria-pressed", chosen.includes(p) ? "true" : "false");
      $("picker-insert").disabled = !chosen.length;
      $("picker-insert").textContent = multiple ? `Insert ${chosen.length} ${chosen.length === 1 ? "picture" : "pictures"}` : "Insert";
    });
    button.addEventListener("dblclick", () => { if (!multiple) $("picker-insert").click(); });
    return el("li", {}, button);
  };
  async function load(reset) {
    if (reset) { page = 1; grid.replaceChildren(); }
    const q = encodeURIComponent($("picker-search").value.trim());
    const data = await getJSON(`${options.urls.pictures}?q=${q}&page=${page}`);
    grid.append(...data.results.map(tile));
    if (reset && !data.results.length) grid.append(el("li", { class: "desk-hint", text: "No pictures match. Upload some." }));
    $("picker-more").hidden = !data.has_next;
  }
  $("picker-search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load(true), 200); });
  $("picker-more").addEventListener("click", () => { page += 1; load(false); });
  const upload = (files) => uploadAll(files, { url: options.urls.upload, list: $("picker-progress"),
    onDone: (p) => { grid.prepend(tile(p)); grid.firstChild.querySelector("button").click(); } });
  $("picker-upload").addEventListener("change", (event) => upload(event.target.files));
  acceptDrops(dialog, upload);
  $("picker-insert").addEventListener("click", () => { dialog.close(); if (onChoose && chosen.length) onChoose(chosen); });
  return {
    open(settings, callback) {
      multiple = settings.multiple;
      onChoose = callback;
      chosen = [];
      $("picker-title").textContent = multiple ? "Choose pictures for a gallery" : "Choose a picture";
      $("picker-insert").disabled = true;
      $("picker-insert").textContent = "Insert";
      $("picker-progress").replaceChildren();
      dialog.showModal();
      load(true);
    },
  };
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
