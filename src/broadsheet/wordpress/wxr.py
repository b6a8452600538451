"""Reading a WordPress export (WXR 1.0-1.2) as a stream: one item at a time, memory flat.

Entities are never expanded and nothing is fetched from the network; an export with a DOCTYPE
is refused (WordPress never writes one, and it is how entity bombs arrive).
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

KNOWN_VERSIONS = ("1.0", "1.1", "1.2")
_WP_NAMESPACE = "http://wordpress.org/export/"


class ExportError(ValueError):
    """The export cannot be read any further (the message says why and where)."""


@dataclass
class Item:
    """One <item>: a post, page, attachment or any other post type, with its comments."""

    wp_id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    modified_gmt: str = ""
    comment_status: str = "open"
    post_name: str = ""
    status: str = ""
    post_parent: int = 0
    menu_order: int = 0
    is_sticky: bool = False
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # (domain, nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    fingerprint: str = ""  # changes whenever anything in the item changes


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _prefix(tag):
    """'wp', 'content', 'excerpt', 'dc' or '' for an element's namespace."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    uri = tag[1:].split("}", 1)[0]
    if uri.startswith(_WP_NAMESPACE):
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    if uri == "http://purl.org/rss/1.0/modules/content/":
        return "content"
    if uri == "http://purl.org/dc/elements/1.1/":
        return "dc"
    return "other"


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _children(element):
    """{(prefix, localname): text} of an element's direct children."""
    out = {}
    for child in element:
        out[(_prefix(child.tag), _local(child.tag))] = child.text or ""
    return out


def _comment(element):
    values = _children(element)
    get = lambda name: (values.get(("wp", name)) or "").strip()  # noqa: E731
    return {
        "wp_id": _int(get("comment_id")),
        "author": get("comment_author"),
        "email": get("comment_author_email"),
        "url": get("comment_author_url"),
        "ip": get("comment_author_IP"),
        "date_gmt": get("comment_date_gmt"),
        "date": get("comment_date"),
        "content": values.get(("wp", "comment_content")) or "",
        "approved": get("comment_approved"),
        "type": get("comment_type") or "comment",
        "parent": _int(get("comment_parent")),
    }


_strip = str.strip
# <wp:name> of an item -> (Item attribute, conversion of its text)
_WP_FIELDS = {
    "post_id": ("wp_id", _int),
    "post_type": ("post_type", _strip),
    "post_date": ("post_date", _strip),
    "post_date_gmt": ("post_date_gmt", _strip),
    "post_modified_gmt": ("modified_gmt", _strip),
    "comment_status": ("comment_status", _strip),
    "post_name": ("post_name", _strip),
    "status": ("status", _strip),
    "post_parent": ("post_parent", _int),
    "menu_order": ("menu_order", _int),
    "is_sticky": ("is_sticky", lambda text: text.strip() == "1"),
    "attachment_url": ("attachment_url", _strip),
}


def _item(element) -> Item:
    item = Item(wp_id=0, post_type="")
    item.fingerprint = hashlib.blake2b(etree.tostring(element), digest_size=16).hexdigest()
    for child in element:
        prefix, name = _prefix(child.tag), _local(child.tag)
        text = child.text or ""
        if prefix == "" and name == "title":
            item.title = text.strip()
        elif prefix == "" and name == "link":
            item.link = text.strip()
        elif prefix == "" and name == "guid":
            item.guid = text.strip()
        elif prefix == "" and name == "category":
            item.categories.append((child.get("domain", ""), child.get("nicename", ""), text.strip()))
        elif prefix == "dc" and name == "creator":
            item.creator = text.strip()
        elif prefix == "content" and name == "encoded":
            item.content = text
        elif prefix == "excerpt" and name == "encoded":
            item.excerpt = text.strip()
        elif prefix == "wp":
            if name in _WP_FIELDS:
                attribute, convert = _WP_FIELDS[name]
                setattr(item, attribute, convert(text))
            elif name == "postmeta":
                meta = _children(child)
                key = (meta.get(("wp", "meta_key")) or "").strip()
                if key:
                    item.meta[key] = meta.get(("wp", "meta_value")) or ""
            elif name == "comment":
                item.comments.append(_comment(child))
    return item


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


def read(path_or_file) -> Iterator[tuple[str, object]]:
    """Yield ("site", Site) once the channel header is read, then ("author", dict),
    ("category", dict), ("tag", dict) and ("item", Item) in file order. Raises ExportError
    (with the line) when the file is not a readable export; what came before was yielded."""
    context = etree.iterparse(
        path_or_file,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    site = Site()
    site_sent = False
    depth = 0
    checked_doctype = False
    try:
        for event, element in context:
            if not checked_doctype:
                checked_doctype = True
                if element.getroottree().docinfo.doctype:
                    raise ExportError("the export has a DOCTYPE; WordPress never writes one and entities are never expanded: refused")
                if _local(element.tag) != "rss":
                    raise ExportError(f"not a WordPress export: the document is <{_local(element.tag)}>, not <rss>")
            if event == "start":
                depth += 1
                if depth == 3 and _local(element.tag) == "item" and not site_sent:
                    site_sent = True
                    yield "site", _check_site(site)
                continue
            depth -= 1
            if depth != 2:  # only whole children of <channel> are handled (and then dropped)
                continue
            prefix, name = _prefix(element.tag), _local(element.tag)
            if name == "item" and prefix == "":
                yield "item", _item(element)
            elif prefix == "wp" and name == "wxr_version":
                site.version = _text(element)
            elif prefix == "wp" and name == "base_site_url":
                site.base_site_url = _text(element)
            elif prefix == "wp" and name == "base_blog_url":
                site.base_blog_url = _text(element)
            elif prefix == "" and name == "title":
                site.title = _text(element)
            elif prefix == "" and name == "link":
                site.link = _text(element)
            elif prefix == "wp" and name in ("author", "category", "tag", "term"):
                if not site_sent:
                    site_sent = True
                    yield "site", _check_site(site)
                yield name, {key[1]: (value or "").strip() for key, value in _children(element).items()}
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else "?"
        raise ExportError(f"the export is truncated or malformed at line {line}: {error.msg}") from None
    if not site_sent:
        yield "site", _check_site(site)


def _check_site(site):
    if site.version not in KNOWN_VERSIONS:
        shown = site.version or "none"
        raise ExportError(f"unknown WXR version {shown!r} (this importer reads {', '.join(KNOWN_VERSIONS)})")
    return site
