// Paste from Word, Google Docs and web pages: drop what the body format has no place for before
// the editor's schema reads it (the server's sanitiser checks again whatever arrives).

export function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("script, style, meta, link, title, iframe, object, embed, svg, canvas, form, input, button, select, textarea, noscript, template").forEach((n) => n.remove());
  // Google Docs wraps everything in <b style="font-weight:normal" id="docs-internal-guid-…">.
  doc.querySelectorAll("b[id^=docs-internal-guid]").forEach((n) => n.replaceWith(...n.childNodes));
  // Word's own paragraphs and lists, and its empty <o:p> markers.
  doc.querySelectorAll("o\\:p").forEach((n) => n.remove());
  // Styled spans from Docs become real bold and italic; every other style goes.
  doc.querySelectorAll("span[style]").forEach((span) => {
    const style = span.getAttribute("style") || "";
    let node = span;
    if (/font-weight:\s*(700|bold)/.test(style)) { const strong = doc.createElement("strong"); strong.append(...span.childNodes); span.replaceWith(strong); node = strong; }
    if (/font-style:\s*italic/.test(style)) { const em = doc.createElement("em"); em.append(...node.childNodes); node.append(em); }
  });
  doc.body.querySelectorAll("*").forEach((n) => {
    for (const attribute of Array.from(n.attributes)) {
      if (!["href", "src", "alt", "colspan", "rowspan", "start", "class", "data-picture-id", "data-embed-provider", "data-embed-url"].includes(attribute.name)) n.removeAttribute(attribute.name);
    }
    if (n.hasAttribute("href") && !/^(https?:|mailto:)/i.test(n.getAttribute("href"))) n.removeAttribute("href");
    // Pictures come from our own library only: a page never loads anything from another host.
    if (n.tagName === "IMG" && !/^\/(?!\/)/.test(n.getAttribute("src") || "")) n.remove();
  });
  // A page's title level is the headline's; pasted headings fit under it.
  doc.querySelectorAll("h1").forEach((h) => { const h2 = doc.createElement("h2"); h2.append(...h.childNodes); h.replaceWith(h2); });
  doc.querySelectorAll("h5, h6").forEach((h) => { const h4 = doc.createElement("h4"); h4.append(...h.childNodes); h.replaceWith(h4); });
  return doc.body.innerHTML;
}
