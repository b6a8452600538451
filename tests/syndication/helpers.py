"""Small readers for what the syndication tests look at: feeds, sitemaps and a page's <head>."""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_feed(client, url):
    import feedparser

    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def get_json_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


def sitemap_locs(client, url):
    """The <loc> of every <url> (or <sitemap>) of a sitemap document."""
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    return [el.text for el in root.iter(f"{SITEMAP}loc")]


def sitemap_root(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


class HeadReader(HTMLParser):
    """Collects meta tags, links and JSON-LD documents of an HTML page."""

    def __init__(self):
        super().__init__()
        self.meta = {}  # property or name -> [content, ...]
        self.links = []  # attrs dicts
        self.json_ld = []
        self._in_ld = False
        self._ld_text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld, self._ld_text = True, []

    def handle_data(self, data):
        if self._in_ld:
            self._ld_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.json_ld.append(json.loads("".join(self._ld_text)))

    def first(self, key):
        return (self.meta.get(key) or [None])[0]

    def link(self, rel, **match):
        for attrs in self.links:
            if attrs.get("rel") == rel and all(attrs.get(k) == v for k, v in match.items()):
                return attrs
        return None

    def json_ld_of_type(self, kind):
        return [doc for doc in self.json_ld if doc.get("@type") == kind]


def read_head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    reader = HeadReader()
    reader.feed(html)
    return reader, html
