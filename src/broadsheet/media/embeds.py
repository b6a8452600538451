"""Thumbnails of embeds, kept in our own storage: when a story's body gains an embed, the worker
asks the provider's oEmbed endpoint for its thumbnail, fetches it (with timeouts and size
limits), verifies and re-encodes it like any upload, and keeps it. Readers' placeholders then
show that copy; nothing is fetched from a provider when a page is rendered or read.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from broadsheet.core.queue import enqueue_or_log
from broadsheet.newsroom.embeds import provider_for
from broadsheet.newsroom.images import process_upload

from . import conf
from .models import EmbedThumbnail

log = logging.getLogger(__name__)

_EMBED_FIGURE = re.compile(r'<figure class="embed"([^>]*)>')
_EMBED_ATTRIBUTE = re.compile(r'(data-embed-provider|data-embed-url)="([^"]*)"')
_PLACEHOLDER = re.compile(
    r'(<figure class="embed" data-embed-provider="[a-z]+" data-embed-url="([^"]*)">'
    r'<div class="embed-placeholder">)'
)


class FetchError(Exception):
    """The provider did not give us a usable thumbnail; the message says why, for the admin."""


def key_for(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def embeds_in(body: str) -> list[tuple[str, str]]:
    """(provider, URL) of each embed of a known provider in a stored body, in order, once each."""
    found: dict[str, str] = {}
    if 'class="embed"' not in (body or ""):
        return []
    for attributes in _EMBED_FIGURE.findall(body):
        values = dict(_EMBED_ATTRIBUTE.findall(attributes))
        provider, url = values.get("data-embed-provider", ""), html.unescape(values.get("data-embed-url", ""))
        if provider and provider_for(url) == provider:
            found.setdefault(url, provider)
    return [(provider, url) for url, provider in found.items()]


def queue_thumbnails(body: str) -> int:
    """For each embed in `body` whose thumbnail we have not tried (or tried long ago), queue the
    worker's fetch; returns how many were queued. One query when nothing is new."""
    wanted = [(p, u) for p, u in embeds_in(body) if p in conf.oembed_endpoints()]
    if not wanted:
        return 0
    keys = {key_for(url): (provider, url) for provider, url in wanted}
    known = dict(EmbedThumbnail.objects.filter(key__in=list(keys)).values_list("key", "state"))
    queued = 0
    retry_before = timezone.now() - timedelta(seconds=conf.RETRY_SECONDS)
    for key, (provider, url) in keys.items():
        if key not in known:
            try:
                with transaction.atomic():
                    thumbnail = EmbedThumbnail.objects.create(key=key, url=url, provider=provider)
            except IntegrityError:  # another save queued it a moment ago
                continue
        elif known[key] == EmbedThumbnail.State.FAILED:
            claimed = EmbedThumbnail.objects.filter(
                key=key, state=EmbedThumbnail.State.FAILED, tried_at__lt=retry_before
            ).update(state=EmbedThumbnail.State.WAITING)
            if not claimed:
                continue
            thumbnail = EmbedThumbnail.objects.get(key=key)
        else:
            continue
        from .tasks import fetch_embed_thumbnail_task

        pk = thumbnail.pk
        transaction.on_commit(lambda pk=pk: enqueue_or_log(fetch_embed_thumbnail_task, pk), robust=True)
        queued += 1
    return queued


def _read(url: str, *, limit: int, accept: str) -> bytes:
    request = urllib.request.Request(
        url, headers={"User-Agent": "Broadsheet (oEmbed thumbnail)", "Accept": accept}
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.oembed_timeout()) as answer:
            if answer.status != 200:
                raise FetchError(f"the provider answered {answer.status}")
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"the answer is larger than {limit} bytes ({int(length)})")
            data = answer.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"the provider answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchError(f"the provider could not be reached ({error.__class__.__name__})") from None
    if len(data) > limit:
        raise FetchError(f"the answer is larger than {limit} bytes")
    return data


def _allowed_schemes(endpoint: str) -> set[str]:
    """https, and plain http only where the operator pointed an endpoint at plain http (tests)."""
    return {"https", "http"} if urlsplit(endpoint).scheme == "http" else {"https"}


def fetch_thumbnail(thumbnail: EmbedThumbnail) -> EmbedThumbnail:
    """Ask the provider for the thumbnail of one embed and keep it (the worker calls this)."""
    endpoint = conf.oembed_endpoints().get(thumbnail.provider)
    thumbnail.tried_at = timezone.now()
    try:
        if not endpoint:
            raise FetchError("no oEmbed endpoint for this provider")
        separator = "&" if "?" in endpoint else "?"
        answer = _read(
            endpoint + separator + urlencode({"url": thumbnail.url, "format": "json"}),
            limit=conf.OEMBED_MAX_BYTES,
            accept="application/json",
        )
        try:
            data = json.loads(answer)
        except ValueError:
            raise FetchError("the oEmbed answer is not JSON") from None
        if not isinstance(data, dict):
            raise FetchError("the oEmbed answer is not an object")
        title = data.get("title")
        thumbnail.title = " ".join(title.split())[:300] if isinstance(title, str) else ""
        picture_url = data.get("thumbnail_url")
        if not isinstance(picture_url, str) or not picture_url:
            thumbnail.state, thumbnail.problem = EmbedThumbnail.State.NONE, ""
            thumbnail.save()
            return thumbnail
        if urlsplit(picture_url).scheme not in _allowed_schemes(endpoint):
            raise FetchError("the thumbnail's address is not https")
        data_bytes = _read(picture_url, limit=conf.THUMBNAIL_MAX_BYTES, accept="image/*")
        try:
            clean = process_upload(SimpleUploadedFile("thumbnail", data_bytes))
        except ValidationError as invalid:
            raise FetchError(
                "the thumbnail is not a picture we accept: " + " ".join(invalid.messages)
            ) from None
    except FetchError as problem:
        log.info("embed thumbnail %s: %s", thumbnail.url, problem)
        thumbnail.state, thumbnail.problem = EmbedThumbnail.State.FAILED, str(problem)[:300]
        thumbnail.save()
        return thumbnail
    old = thumbnail.file.name if thumbnail.file else ""
    thumbnail.file.save(f"{thumbnail.key[:16]}.{clean.name.rsplit('.', 1)[-1]}", clean, save=False)
    thumbnail.state, thumbnail.problem = EmbedThumbnail.State.STORED, ""
    thumbnail.save()
    if old and old != thumbnail.file.name:
        thumbnail.file.storage.delete(old)
    rerender_stories_embedding(thumbnail.url)
    return thumbnail


def rerender_stories_embedding(url: str) -> None:
    """Stories whose body embeds `url` are rendered again (now with the thumbnail) and announced."""
    from broadsheet.newsroom.models import Article
    from broadsheet.newsroom.services import announce
    from broadsheet.newsroom.text import render_body

    for article in Article.objects.filter(body__contains=f'data-embed-url="{escape(url)}"'):
        Article.objects.filter(pk=article.pk).update(body_html=render_body(article.body))
        announce(article)


def add_thumbnails(body_html: str) -> str:
    """Body filter: each embed placeholder shows the thumbnail we stored for it, when there is one."""
    if "embed-placeholder" not in body_html:
        return body_html
    urls = {html.unescape(raw) for _whole, raw in _PLACEHOLDER.findall(body_html)}
    if not urls:
        return body_html
    stored = {
        t.url: t
        for t in EmbedThumbnail.objects.filter(
            key__in=[key_for(u) for u in urls], state=EmbedThumbnail.State.STORED
        ).only("url", "file", "width", "height")
    }

    def replace(match):
        thumbnail = stored.get(html.unescape(match.group(2)))
        if thumbnail is None or not thumbnail.file:
            return match.group(0)
        return (
            f'{match.group(1)}<img class="embed-thumbnail" src="{escape(thumbnail.file.url)}" alt="" '
            f'width="{thumbnail.width}" height="{thumbnail.height}" loading="lazy" decoding="async">'
        )

    return _PLACEHOLDER.sub(replace, body_html)
