// The body format's own blocks (docs/body-format.md) as editor nodes: picture, gallery, embed,
// pull quote and the cite line of a quote. What they render is exactly what the sanitiser keeps.
import { Node, mergeAttributes } from "@tiptap/core";
import Blockquote from "@tiptap/extension-blockquote";

export const PROVIDERS = {
  youtube: ["YouTube", ["youtube.com", "youtu.be", "youtube-nocookie.com"]],
  vimeo: ["Vimeo", ["vimeo.com"]],
  x: ["X", ["x.com", "twitter.com"]],
  instagram: ["Instagram", ["instagram.com"]],
  tiktok: ["TikTok", ["tiktok.com"]],
  facebook: ["Facebook", ["facebook.com", "fb.watch"]],
  bluesky: ["Bluesky", ["bsky.app"]],
  mastodon: ["Mastodon", []],
  soundcloud: ["SoundCloud", ["soundcloud.com"]],
  spotify: ["Spotify", ["spotify.com"]],
};

export function providerFor(text) {
  let url;
  try { url = new URL((text || "").trim()); } catch (error) { return null; }
  if (url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase();
  for (const [provider, [, hosts]] of Object.entries(PROVIDERS)) {
    if (hosts.some((h) => host === h || host.endsWith(`.${h}`))) return provider;
  }
  if (/^\/@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+)?\/[0-9]+\/?$/.test(url.pathname)) return "mastodon";
  return null;
}

// A small form inside a block (caption, credit, alt text) that edits the node's attributes.
function fieldsView({ node, getPos, editor }, build) {
  const dom = document.createElement("figure");
  dom.contentEditable = "false";
  const update = (name, value) => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.view.dispatch(editor.view.state.tr.setNodeAttribute(pos, name, value));
  };
  const input = (label, name, value) => {
    const wrapper = document.createElement("label");
    wrapper.className = "desk-node-field";
    wrapper.append(document.createTextNode(label));
    const field = document.createElement("input");
    field.value = value || "";
    field.addEventListener("input", () => update(name, field.value));
    wrapper.append(field);
    return wrapper;
  };
  build(dom, input, node);
  return {
    dom,
    stopEvent: (event) => event.target instanceof HTMLInputElement,
    ignoreMutation: () => true,
    update: (updated) => updated.type === node.type,
  };
}

export const Picture = Node.create({
  name: "picture",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { id: { default: null }, src: { default: "" }, alt: { default: "" }, width: { default: null },
      height: { default: null }, caption: { default: "" }, credit: { default: "" } };
  },
  parseHTML() {
    return [{
      tag: "figure.picture",
      getAttrs: (dom) => {
        const img = dom.querySelector("img");
        if (!img) return false;
        const credit = dom.querySelector("figcaption .credit");
        const captionNode = dom.querySelector("figcaption");
        let caption = "";
        if (captionNode) {
          const copy = captionNode.cloneNode(true);
          copy.querySelectorAll(".credit").forEach((n) => n.remove());
          caption = copy.textContent.trim();
        }
        return { id: img.getAttribute("data-picture-id"), src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
          width: img.getAttribute("width"), height: img.getAttribute("height"), caption, credit: credit ? credit.textContent.trim() : "" };
      },
    }, {
      tag: "img[src]",
      getAttrs: (img) => ({ id: img.getAttribute("data-picture-id"), src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
        width: img.getAttribute("width"), height: img.getAttribute("height") }),
    }];
  },
  renderHTML({ node }) {
    const a = node.attrs;
    const img = ["img", { src: a.src, alt: a.alt, width: a.width, height: a.height, "data-picture-id": a.id }];
    const caption = a.caption || a.credit
      ? ["figcaption", {}, a.caption || "", ...(a.credit ? [["small", { class: "credit" }, a.credit]] : [])]
      : null;
    return caption ? ["figure", { class: "picture" }, img, caption] : ["figure", { class: "picture" }, img];
  },
  addNodeView() {
    return (props) => fieldsView(props, (dom, input, node) => {
      dom.className = "picture desk-node";
      const img = document.createElement("img");
      img.src = node.attrs.src;
      img.alt = node.attrs.alt;
      dom.append(img, input("Caption", "caption", node.attrs.caption), input("Credit", "credit", node.attrs.credit),
        input("Alt text (what it shows, for readers who cannot see it)", "alt", node.attrs.alt));
    });
  },
});

export const Gallery = Node.create({
  name: "gallery",
  group: "block",
  content: "picture+",
  draggable: true,
  parseHTML() { return [{ tag: "figure.gallery", priority: 60 }]; },
  renderHTML() { return ["figure", { class: "gallery" }, 0]; },
});

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { provider: { default: null }, url: { default: "" }, title: { default: "" }, caption: { default: "" } };
  },
  parseHTML() {
    return [{
      tag: "figure.embed",
      priority: 60,
      getAttrs: (dom) => {
        const link = dom.querySelector("a");
        const caption = dom.querySelector("figcaption");
        const url = dom.getAttribute("data-embed-url") || (link && link.getAttribute("href")) || "";
        return { provider: dom.getAttribute("data-embed-provider"), url,
          title: link && link.textContent.trim() !== url ? link.textContent.trim() : "", caption: caption ? caption.textContent.trim() : "" };
      },
    }];
  },
  renderHTML({ node }) {
    const a = node.attrs;
    const parts = [["a", { href: a.url }, a.title || a.url]];
    if (a.caption) parts.push(["figcaption", {}, a.caption]);
    return ["figure", { class: "embed", "data-embed-provider": a.provider, "data-embed-url": a.url }, ...parts];
  },
  addNodeView() {
    return (props) => fieldsView(props, (dom, input, node) => {
      dom.className = "embed desk-node";
      const badge = document.createElement("p");
      badge.className = "desk-embed-badge";
      badge.textContent = `${(PROVIDERS[node.attrs.provider] || ["Link"])[0]} · ${node.attrs.url}`;
      dom.append(badge, input("Title shown to readers", "title", node.attrs.title), input("Caption", "caption", node.attrs.caption));
    });
  },
  addCommands() {
    return {
      insertEmbed: (url) => ({ commands }) => {
        const provider = providerFor(url);
        if (!provider) return false;
        return commands.insertContent({ type: this.name, attrs: { provider, url: url.trim() } });
      },
    };
  },
});

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,
  parseHTML() { return [{ tag: "blockquote.pullquote", priority: 60 }]; },
  renderHTML() { return ["blockquote", { class: "pullquote" }, 0]; },
  addCommands() {
    return { togglePullQuote: () => ({ commands }) => commands.toggleWrap(this.name) };
  },
});

export const Cite = Node.create({
  name: "cite",
  content: "text*",
  marks: "",
  defining: true,
  parseHTML() { return [{ tag: "blockquote > cite" }]; },
  renderHTML({ HTMLAttributes }) { return ["cite", mergeAttributes(HTMLAttributes), 0]; },
});

// A quote: paragraphs, then optionally who said it.
export const Quote = Blockquote.extend({ content: "(paragraph | bulletList | orderedList)+ cite?" });
