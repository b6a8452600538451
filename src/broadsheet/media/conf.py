"""The media library's settings, read in one place at call time."""

from django.conf import settings

# The oEmbed endpoints of the providers that give a thumbnail without a key. Instagram and
# Facebook want an app token; their placeholders go without a picture.
OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "soundcloud": "https://soundcloud.com/oembed",
    "spotify": "https://open.spotify.com/oembed",
    "tiktok": "https://www.tiktok.com/oembed",
    "x": "https://publish.twitter.com/oembed",
    "bluesky": "https://embed.bsky.app/oembed",
}


def oembed_endpoints():
    """provider -> oEmbed endpoint (BROADSHEET_OEMBED_ENDPOINTS replaces the whole table; {} fetches nothing)."""
    endpoints = getattr(settings, "BROADSHEET_OEMBED_ENDPOINTS", None)
    return dict(OEMBED_ENDPOINTS if endpoints is None else endpoints)


def oembed_timeout():
    """Seconds to wait for a provider (connect, and each read), for its answer and its picture."""
    return float(getattr(settings, "BROADSHEET_OEMBED_TIMEOUT", 5))


# The most we read: an oEmbed answer is a few hundred bytes, a thumbnail well under this.
OEMBED_MAX_BYTES = 256 * 1024
THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024
# A thumbnail that could not be fetched is tried again on a later save after this long.
RETRY_SECONDS = 6 * 3600
