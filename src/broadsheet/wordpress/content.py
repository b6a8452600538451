"""WordPress post content (classic HTML with shortcodes, or block-editor markup) to our story
body: sanitised HTML in the vocabulary of docs/body-format.md.

The caller resolves pictures (by attachment id or uploads URL) to our media library; whatever
cannot be converted is kept visible and listed in `Converted.notes` for the import report.
"""

import html as htmllib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from lxml import etree
from lxml import html as lxml_html

from broadsheet.core.body import BODY_ATTRIBUTES, BODY_TAGS, sanitise_body


@dataclass
class PictureRef:
    """What a body needs to show a library picture."""

    picture_id: int
    url: str
    width: int
    height: int
    alt: str = ""
    caption: str = ""
    credit: str = ""


# resolve(attachment_id or None, src or "") -> PictureRef | None
Resolver = Callable[[int | None, str], PictureRef | None]


@dataclass
class Converted:
    body: str
    notes: list = field(default_factory=list)  # human-readable lines for the report


_BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table", "hr", "figure"}

PROVIDERS = (
    ("youtube", ("youtube.com", "youtu.be", "youtube-nocookie.com")),
    ("vimeo", ("vimeo.com",)),
    ("x", ("twitter.com", "x.com")),
    ("instagram", ("instagram.com", "instagr.am")),
    ("tiktok", ("tiktok.com",)),
    ("facebook", ("facebook.com", "fb.watch")),
    ("bluesky", ("bsky.app",)),
    ("soundcloud", ("soundcloud.com",)),
    ("spotify", ("spotify.com",)),
)
_WP_PROVIDER_NAMES = {"twitter": "x", "youtube": "youtube", "vimeo": "vimeo", "instagram": "instagram",
                      "tiktok": "tiktok", "facebook": "facebook", "soundcloud": "soundcloud", "spotify": "spotify"}  # fmt: skip


def embed_provider(url):
    """Our provider name for a URL, or "" when it is not one we embed."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for name, hosts in PROVIDERS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            return name
    return ""


def _attrs(text):
    """Shortcode attributes: a="b" c='d' e=f, names lower-cased."""
    out = {}
    for match in re.finditer(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""", text or ""):
        value = next(v for v in match.groups()[1:] if v is not None)
        out[match.group(1).lower()] = htmllib.unescape(value)
    return out


def _esc(value):
    return htmllib.escape(value or "", quote=True)


def picture_html(ref: PictureRef, *, caption=None, alt=None):
    caption = ref.caption if caption is None else caption
    alt = ref.alt if alt is None else alt
    credit = f' <small class="credit">{_esc(ref.credit)}</small>' if ref.credit else ""
    figcaption = f"<figcaption>{_esc(caption)}{credit}</figcaption>" if caption or credit else ""
    return (
        f'<figure class="picture"><img src="{_esc(ref.url)}" alt="{_esc(alt)}" width="{ref.width}" '
        f'height="{ref.height}" data-picture-id="{ref.picture_id}">{figcaption}</figure>'
    )


def embed_html(url, *, caption="", provider=""):
    provider = provider or embed_provider(url)
    if not provider:
        return f'<p><a href="{_esc(url)}">{_esc(url)}</a></p>'
    figcaption = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="embed" data-embed-provider="{provider}" data-embed-url="{_esc(url)}">'
        f'<a href="{_esc(url)}">{_esc(url)}</a>{figcaption}</figure>'
    )


class _Converter:
    def __init__(self, resolve: Resolver, children_of_post: Callable[[], list[int]]):
        self.resolve = resolve
        self.children_of_post = children_of_post
        self.notes = []

    # --- shortcodes ---

    def caption(self, match):
        attrs, inner = _attrs(match.group(1)), match.group(2)
        img = re.search(r"<img\b[^>]*>", inner, re.I)
        text = re.sub(r"<img\b[^>]*>", "", inner, flags=re.I)
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", text)).strip() or attrs.get("caption", "")
        if not img:
            return f"<p>{_esc(text)}</p>"
        img_attrs = _attrs(img.group(0))
        att = re.search(r"attachment_(\d+)", attrs.get("id", "")) or re.search(r"wp-image-(\d+)", img_attrs.get("class", ""))
        ref = self.resolve(int(att.group(1)) if att else None, img_attrs.get("src", ""))
        if ref is None:
            return self.missing_picture(img_attrs.get("src", ""), img_attrs.get("alt", ""), text)
        return picture_html(ref, caption=text, alt=img_attrs.get("alt") or ref.alt)

    def gallery(self, match):
        attrs = _attrs(match.group(1))
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
        if not ids:
            ids = self.children_of_post()
        figures = []
        for att_id in ids:
            ref = self.resolve(att_id, "")
            if ref is None:
                self.notes.append(f"gallery picture {att_id} is not in the uploads: left out")
            else:
                figures.append(picture_html(ref))
        return f'<figure class="gallery">{"".join(figures)}</figure>' if figures else ""

    def embed(self, match):
        url = htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        return embed_html(url)

    def missing_picture(self, src, alt, caption=""):
        self.notes.append(f"picture {src or '(no address)'} is not in the uploads: kept as a link")
        label = alt or caption or "picture"
        return f'<p><a href="{_esc(src)}">{_esc(label)}</a></p>' if src.startswith(("http://", "https://")) else ""

    def shortcodes(self, text):
        text = re.sub(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", self.caption, text, flags=re.S | re.I)
        text = re.sub(r"\[wp_caption\b([^\]]*)\](.*?)\[/wp_caption\]", self.caption, text, flags=re.S | re.I)
        text = re.sub(r"\[gallery\b([^\]]*)\]", self.gallery, text, flags=re.I)
        text = re.sub(r"\[embed\b([^\]]*)\](.*?)\[/embed\]", self.embed, text, flags=re.S | re.I)
        for name in sorted(set(re.findall(r"\[/?([a-zA-Z][\w-]*)(?:\s[^\]]*)?\]", text))):
            self.notes.append(f"unknown shortcode [{name}]: kept as text")
        return text

    # --- block editor ---

    def blocks(self, text):
        def embed_block(match):
            name, attrs = match.group(1), match.group(2)
            try:
                data = json.loads(attrs) if attrs else {}
            except ValueError:
                data = {}
            inner = match.group(3)
            url = data.get("url") or ""
            if not url:
                found = re.search(r"https?://[^\s<\"]+", inner)
                url = found.group(0) if found else ""
            caption_match = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.S)
            caption = htmllib.unescape(re.sub(r"<[^>]+>", "", caption_match.group(1))).strip() if caption_match else ""
            slug = data.get("providerNameSlug") or (name.split("/", 1)[1] if "/" in name else "")
            provider = embed_provider(url) or _WP_PROVIDER_NAMES.get(slug, "")
            if not url:
                return ""
            return "\n" + embed_html(url, caption=caption, provider=provider) + "\n"

        text = re.sub(
            r"<!--\s*wp:((?:core-)?embed(?:/[\w-]+)?)\s*(\{.*?\})?\s*-->(.*?)<!--\s*/wp:(?:core-)?embed(?:/[\w-]+)?\s*-->",
            embed_block,
            text,
            flags=re.S,
        )
        return re.sub(r"<!--\s*/?wp:[^>]*?-->", "\n", text)

    # --- pictures in HTML ---

    def pictures(self, root):
        for figure in list(root.iter("figure")):
            classes = figure.get("class", "").split()
            if "wp-block-gallery" in classes or "wp-block-jetpack-tiled-gallery" in classes:
                refs = [r for r in (self.img_ref(img) for img in figure.iter("img")) if r]
                new = lxml_html.fragment_fromstring(
                    '<figure class="gallery">' + "".join(picture_html(r) for r in refs) + "</figure>"
                )
                figure.getparent().replace(figure, new)
        for img in list(root.iter("img")):
            if img.getparent() is None or img.get("data-picture-id"):  # already one of ours
                continue
            ref = self.img_ref(img)
            figure = next((a for a in img.iterancestors("figure")), None)
            caption = None
            if figure is not None:
                figcaption = figure.find(".//figcaption")
                caption = figcaption.text_content().strip() if figcaption is not None else None
                target = figure
            else:
                target = _block_of(img, root)
            if ref is None:
                new_html = self.missing_picture(img.get("src", ""), img.get("alt", ""))
            else:
                new_html = picture_html(ref, caption=caption, alt=img.get("alt") or ref.alt)
            new = lxml_html.fragment_fromstring(new_html) if new_html else None
            if target is root or target is None:
                _drop(img)
                if new is not None:
                    root.append(new)
                continue
            if target.tag == "figure" or _only_holds(target, img):
                if new is None:
                    target.drop_tree()
                else:
                    target.getparent().replace(target, new)
            else:
                _drop(img)
                if new is not None:
                    target.addnext(new)

    def img_ref(self, img):
        match = re.search(r"wp-image-(\d+)", img.get("class", ""))
        return self.resolve(int(match.group(1)) if match else None, img.get("src", ""))


def _block_of(element, root):
    block = element
    while block.getparent() is not None and block.getparent() is not root:
        block = block.getparent()
    return block


def _only_holds(block, img):
    return not block.text_content().strip() and len(list(block.iter("img"))) == 1


def _drop(element):
    parent = element.getparent()
    if parent is not None and parent.tag == "a" and not parent.text_content().strip() and len(parent) == 1:
        element = parent
    element.drop_tree()


_BLOCK_TAGS_RE = r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"


def autop(text):
    """WordPress's wpautop, reduced: blank lines make paragraphs, single newlines <br>, block
    elements stay as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(rf"(<{_BLOCK_TAGS_RE}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{_BLOCK_TAGS_RE}>)", r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.match(rf"</?{_BLOCK_TAGS_RE}[\s/>]", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _bare_embeds(text):
    """A known provider's URL alone on a line is an embed (WordPress's auto-embed)."""

    def replace(match):
        url = match.group(1)
        return "\n" + embed_html(url) + "\n" if embed_provider(url) else match.group(0)

    return re.sub(r"(?m)^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", replace, text)


def convert(content: str, *, resolve: Resolver, children_of_post=lambda: []) -> Converted:
    """Convert one post's content; never raises on content (a broken body becomes its text)."""
    converter = _Converter(resolve, children_of_post)
    text = content or ""
    is_blocks = "<!-- wp:" in text
    if is_blocks:
        text = converter.blocks(text)
    else:
        text = _bare_embeds(text)
    text = converter.shortcodes(text)
    if not is_blocks:
        text = autop(text)
    text = re.sub(r"<(/?)h1\b", r"<\1h2", text)
    text = re.sub(r"<(/?)h[56]\b", r"<\1h4", text)
    text = re.sub(r"<(/?)b\b", r"<\1strong", text)
    text = re.sub(r"<(/?)i\b", r"<\1em", text)
    text = re.sub(r"<(/?)(?:del|strike)\b", r"<\1s", text)
    # Scripts, styles and handlers go before anything else looks at the markup.
    text = nh3.clean(
        text,
        tags=BODY_TAGS,
        attributes={**BODY_ATTRIBUTES, "img": BODY_ATTRIBUTES["img"] | {"class"}, "figure": BODY_ATTRIBUTES["figure"] | {"class"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    if not text.strip():
        return Converted("", converter.notes)
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div")
        converter.pictures(root)
        text = (root.text or "") + "".join(etree.tostring(child, encoding=str, method="html") for child in root)
    except (etree.ParserError, ValueError) as error:
        converter.notes.append(f"content could not be read as HTML ({error}): kept as text")
    return Converted(_layout(sanitise_body(text)), converter.notes)


def _layout(html):
    """One top-level block per paragraph of the stored body, blank lines only between blocks
    (the Markdown renderer passes an HTML block through up to the next blank line); loose
    top-level text becomes a paragraph."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    blocks = []
    if root.text and root.text.strip():
        blocks.append(f"<p>{_esc(root.text.strip())}</p>")
    inline = []

    def flush():
        joined = "".join(inline).strip()
        if joined:
            blocks.append(f"<p>{joined}</p>")
        inline.clear()

    for child in root:
        tail = child.tail
        child.tail = None
        markup = etree.tostring(child, encoding=str, method="html")
        if child.tag in _BLOCKS:
            flush()
            blocks.append(re.sub(r"\n\s*\n", "\n", markup.strip()))
        else:
            inline.append(markup)
        if tail and tail.strip():
            inline.append(_esc(tail))
    flush()
    return "\n\n".join(b for b in blocks if b not in ("<p></p>",))
