"""A story's whole text, for outlets whose licence allows carrying it.

The feed's own full content (WordPress's content:encoded, Atom's content) is used when it is long
enough; otherwise the story page is fetched (with the same limits as feeds) and its text taken
out with trafilatura, which finds the story in a page of menus and adverts better than anything
we would write, and needs nothing from the network beyond the page.
"""

import logging
from urllib.parse import urlsplit

import trafilatura

from .fetching import FetchError, fetch
from .parsing import plain_text, story_html

logger = logging.getLogger(__name__)
ENOUGH_TEXT = 600  # characters of text: below this a feed's "content" is only a teaser


def same_site(feed_url, page_url):
    """Is the story page on the feed's own site? A feed may name any address as an item's link;
    only the outlet's own pages are fetched, never an address inside our network it points at."""
    feed_host = (urlsplit(feed_url).hostname or "").lower()
    page_host = (urlsplit(page_url).hostname or "").lower()
    if not feed_host or not page_host:
        return False
    site = ".".join(feed_host.split(".")[-2:]) if not feed_host.replace(".", "").isdigit() else feed_host
    return page_host == site or page_host.endswith("." + site)


def full_text(content_html, url, *, feed_url):
    """The story's sanitised HTML, or "" when there is none to take."""
    if len(plain_text(content_html)) >= ENOUGH_TEXT or not url or not same_site(feed_url, url):
        return story_html(content_html)
    try:
        page = fetch(url)
    except FetchError as error:
        logger.info("Full text of %s not fetched: %s", url, error)
        return story_html(content_html)
    extracted = ""
    try:
        extracted = (
            trafilatura.extract(
                page.body,
                output_format="html",
                include_links=True,
                include_images=False,
                include_comments=False,
            )
            or ""
        )
    except Exception:  # a page the extractor cannot read is not worth stopping a poll for
        logger.exception("Extracting %s failed", url)
    return story_html(extracted) or story_html(content_html)
