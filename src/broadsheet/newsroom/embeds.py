"""Embeds in story bodies: provider URLs, readers' placeholders and the players behind them.

A reader first sees a local placeholder (provider, title, link); the provider's player loads
only when they ask for it, on our /embed/ page, whose policy lets in that one provider. No
request reaches a provider while a story page loads, and nothing is fetched when we render.
"""

import re
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from django.urls import reverse
from django.utils.html import escape

# provider -> (its name for readers, the hosts its URLs are on)
PROVIDERS = {
    "youtube": ("YouTube", ("youtube.com", "youtu.be", "youtube-nocookie.com")),
    "vimeo": ("Vimeo", ("vimeo.com",)),
    "x": ("X", ("x.com", "twitter.com")),
    "instagram": ("Instagram", ("instagram.com",)),
    "tiktok": ("TikTok", ("tiktok.com",)),
    "facebook": ("Facebook", ("facebook.com", "fb.watch")),
    "bluesky": ("Bluesky", ("bsky.app",)),
    "mastodon": ("Mastodon", ()),  # federated: any server, recognised by the /@user/123 path
    "soundcloud": ("SoundCloud", ("soundcloud.com",)),
    "spotify": ("Spotify", ("spotify.com",)),
}
_MASTODON_PATH = re.compile(r"^/@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+)?/[0-9]+/?$")
_FIGURE = re.compile(r'<figure class="embed"([^>]*)>(.*?)</figure>', re.S)
_ATTRIBUTE = re.compile(r'(data-embed-provider|data-embed-url)="([^"]*)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_LINK_TEXT = re.compile(r"<a [^>]*>(.*?)</a>", re.S)


def _host_matches(host, hosts):
    return any(host == h or host.endswith("." + h) for h in hosts)


def provider_for(url):
    """The provider of an https URL we can embed, or None (then it stays a plain link)."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname.lower()
    for provider, (_name, hosts) in PROVIDERS.items():
        if hosts and _host_matches(host, hosts):
            return provider
    if _MASTODON_PATH.match(parts.path):
        return "mastodon"
    return None


def player_url(provider, url):
    """(iframe URL, origin to allow) of the provider's own player for `url`, or None."""
    if provider_for(url) != provider:
        return None
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if provider == "youtube":
        video = parse_qs(parts.query).get("v", [""])[0] if path == "/watch" else last
        if re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video or ""):
            return f"https://www.youtube-nocookie.com/embed/{video}", "https://www.youtube-nocookie.com"
    elif provider == "vimeo" and last.isascii() and last.isdigit():
        return f"https://player.vimeo.com/video/{last}", "https://player.vimeo.com"
    elif provider == "spotify":
        return f"https://open.spotify.com/embed{path}", "https://open.spotify.com"
    elif provider == "soundcloud":
        return "https://w.soundcloud.com/player/?" + urlencode({"url": url}), "https://w.soundcloud.com"
    elif provider == "x" and last.isascii() and last.isdigit():
        return f"https://platform.twitter.com/embed/Tweet.html?id={last}", "https://platform.twitter.com"
    elif provider == "instagram" and ("/p/" in path or "/reel/" in path):
        return f"https://www.instagram.com{path}/embed", "https://www.instagram.com"
    elif provider == "tiktok" and last.isascii() and last.isdigit():
        return f"https://www.tiktok.com/embed/v2/{last}", "https://www.tiktok.com"
    elif provider == "facebook":
        return (
            "https://www.facebook.com/plugins/post.php?" + urlencode({"href": url}),
            "https://www.facebook.com",
        )
    elif provider == "mastodon":
        return f"https://{parts.hostname}{path}/embed", f"https://{parts.hostname}"
    return None


def placeholder_html(provider, url, title, caption):
    name = PROVIDERS[provider][0]
    player = reverse("newsroom:embed") + "?" + urlencode({"url": url}, quote_via=quote)
    return (
        f'<figure class="embed" data-embed-provider="{provider}" data-embed-url="{escape(url)}">'
        f'<div class="embed-placeholder"><p class="embed-provider">{escape(name)}</p>'
        f'<p class="embed-title"><a href="{escape(url)}" rel="noopener noreferrer">{title}</a></p>'
        f'<p><a class="embed-load" href="{escape(player)}" data-embed-player="{escape(player)}">'
        f"Show the {escape(name)} content here</a> "
        f"<small>{escape(name)} may then see your visit and set cookies.</small></p></div>"
        f"{caption}</figure>"
    )


def placeholders(html):
    """Body filter: each embed figure of a known provider becomes its reader's placeholder."""
    if 'class="embed"' not in html:
        return html

    def replace(match):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        provider, url = attributes.get("data-embed-provider"), attributes.get("data-embed-url", "")
        inner = match.group(2)
        caption = _CAPTION.search(inner)
        caption_html = caption.group(0) if caption else ""
        link = _LINK_TEXT.search(_CAPTION.sub("", inner))
        title = link.group(1) if link and link.group(1).strip() else escape(url)
        url = url.replace("&amp;", "&")
        if provider not in PROVIDERS or provider_for(url) != provider:
            # Unknown or mismatched provider: a plain link, as docs/body-format.md says.
            return (
                f'<p><a href="{escape(url)}" rel="noopener noreferrer">{title}</a></p>{caption_html}'
                if url
                else ""
            )
        return placeholder_html(provider, url, title, caption_html)

    return _FIGURE.sub(replace, html)
