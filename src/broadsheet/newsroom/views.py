"""Public newsroom pages: home, article, section, tag, author, source, date archive, preview."""

import datetime

from django.core import signing
from django.db.models import QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from broadsheet.core import surrogates
from broadsheet.core.prepared import PreparedQuery

from . import conf, embeds, listings, slots
from .context_processors import navigation
from .models import Article, Author, Correction, Section, Source, Tag
from .pagination import keyset_page

SECTION_BLOCK_SIZE = 4


def paginate(request, queryset):
    return keyset_page(queryset, request.GET, conf.page_size())


def front_page(layout=None, sections=None, *, layout_sections=None):
    """The lead story, the latest stories and a block per section, none shown twice.
    `layout` ([(section id, stories)]) is the editors' choice of sections, order and sizes
    (`layout_sections`: {id: Section} of them when known); without one, a block for each of
    `sections` (the navigation's, by default).

    An editor's pinned story leads (the one pinned last); otherwise the latest story does.

    Two queries whatever the number of sections (besides the sections themselves), both
    compiled once (listings.py): every id at once (the newest overall, the pinned lead, the
    newest per section), then the chosen stories; then the listing annotators' (a count each)."""
    if layout:
        found = layout_sections
        if found is None:
            found = Section.objects.in_bulk([section_id for section_id, _ in layout])
        plan = [(found[section_id], size) for section_id, size in layout if section_id in found]
    else:
        if sections is None:
            sections = Section.objects.navigation()
        plan = [(section, SECTION_BLOCK_SIZE) for section in sections]
    depth = 13 + max((size for _section, size in plan), default=0)
    newest, pinned, per_section = listings.front_page_ids(
        [section.pk for section, _size in plan], depth=depth, now=timezone.now()
    )
    latest_ids = newest[:13]
    if pinned is not None:
        latest_ids = [pinned, *[pk for pk in newest if pk != pinned][:12]]
    shown = set(latest_ids)
    chosen = {}
    for section, size in plan:
        chosen[section.pk] = [pk for pk in per_section[section.pk] if pk not in shown][:size]
    stories = listings.stories_by_id([*latest_ids, *(pk for pks in chosen.values() for pk in pks)])
    latest = [stories[pk] for pk in latest_ids if pk in stories]
    lead, latest = (latest[0], latest[1:]) if latest else (None, [])
    blocks = []
    for section, _size in plan:
        listed = [stories[pk] for pk in chosen[section.pk] if pk in stories]
        if listed:
            blocks.append({"section": section, "stories": listed})
    slots.annotate_listing([lead, *latest, *(a for b in blocks for a in b["stories"])])
    return {"lead": lead, "latest": latest, "blocks": blocks}


def home(request):
    # The same for every reader until a story on it changes: kept in the fragment cache.
    surrogates.declare(request, surrogates.HOME)
    layout = slots.home_layout(request)

    def build():
        chosen = None
        if layout:  # the editors' sections: a site-wide value (a change to one purges every page)
            ids = [section_id for section_id, _ in layout]
            chosen = slots.cached_value(
                request,
                "home-sections",
                ",".join(map(str, ids)),
                lambda: Section.objects.in_bulk(ids),
                site=True,
            )
        context = front_page(layout, navigation(request)["nav_sections"], layout_sections=chosen)
        return render_to_string("newsroom/_home.html", context, request)

    content = slots.cached_fragment(request, "home", "", build, keys=[surrogates.HOME])
    return render(
        request,
        "newsroom/home.html",
        {"content_html": content, "page_blocks": slots.page_blocks(request, "home")},
    )


def article_queryset():
    return Article.objects.select_related("section", "source", "source__logo")


# The story page's own queries have one shape each: their SQL is built once (core.prepared).
PUBLISHED_STORY = PreparedQuery(lambda slug, now: article_queryset().published(now=now).filter(slug=slug))
# Its authors and tags in one query: (0 for an author or 1 for a tag, id, name, slug), each
# kind by name.
STORY_BYLINE_AND_TAGS = PreparedQuery(
    lambda article_id: (
        Author.objects.filter(articles=article_id)
        .order_by()
        .annotate(kind=Value(0))
        .values_list("kind", "id", "name", "slug")
        .union(
            Tag.objects.filter(articles=article_id)
            .order_by()
            .annotate(kind=Value(1))
            .values_list("kind", "id", "name", "slug"),
            all=True,
        )
        .order_by("kind", "name")
    )
)
STORY_CORRECTIONS = PreparedQuery(
    lambda article_id: Correction.objects.filter(article_id=article_id).order_by("created_at")
)


def _as_fetched(model, rows):
    """A queryset that holds `rows` (what a prefetch leaves on an object): `article.tags.all`
    reads it without a query. Anything built on it is empty rather than unfiltered."""
    queryset = QuerySet(model)
    queryset.query.set_empty()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def load_story_relations(request, article, *, preview=False):
    """The story's authors, tags and corrections, as a prefetch would leave them, and its lead
    picture; a story known to carry no correction (or to be in no translation family) skips
    that query. Once per article object."""
    if getattr(article, "_relations_loaded", False):
        return
    known = not preview and slots.site_values_kept()
    fetched = article.__dict__.setdefault("_prefetched_objects_cache", {})
    found = {0: [], 1: []}
    alias = article._state.db or "default"
    for kind, *row in STORY_BYLINE_AND_TAGS.all(article_id=article.pk):
        # The fields a prefetch of Author.only("name", "slug") and of Tag would have read.
        found[kind].append((Author if kind == 0 else Tag).from_db(alias, ["id", "name", "slug"], row))
    fetched["authors"] = _as_fetched(Author, found[0])
    fetched["tags"] = _as_fetched(Tag, found[1])
    if known and article.pk not in corrected_stories(request):
        fetched["corrections"] = _as_fetched(Correction, [])
    else:
        fetched["corrections"] = _as_fetched(Correction, STORY_CORRECTIONS.all(article_id=article.pk))
    if article.image:  # the lead picture's renditions, from the apps that keep them
        slots.annotate_listing([article], only={"lead-pictures"})
    if known and article.pk not in translation_families(request):
        article._no_translations = True
    article._relations_loaded = True


def translation_families(request):
    """The ids of the stories that are a translation or have one (any status): a site-wide
    value, so the many stories in no family skip the hreflang query. Purged when a story with
    `translation_of` is saved (a story leaving a family only costs it that query again)."""
    return slots.cached_value(
        request,
        "translation-families",
        "",
        lambda: frozenset(
            pk
            for pair in Article.objects.filter(translation_of__isnull=False).values_list(
                "pk", "translation_of_id"
            )
            for pk in pair
        ),
        keys=[surrogates.TRANSLATIONS],
        site=True,
        size=20_000,
    )


def corrected_stories(request):
    """The ids of the stories that carry a correction: a site-wide value, so the many that
    carry none skip that query. Purged by any correction's save or delete (CORRECTIONS)."""
    return slots.cached_value(
        request,
        "corrected-stories",
        "",
        lambda: frozenset(Correction.objects.values_list("article_id", flat=True).distinct()),
        keys=[surrogates.CORRECTIONS],
        site=True,
        size=20_000,
    )


def render_article(request, article, *, preview=False):
    """The article page. The story and its metadata are the same for every reader, so they may
    come from the fragment cache (a preview always renders afresh); the authors, tags and
    corrections are fetched only when the story is rendered."""

    def render_part(template_name):
        def build():
            load_story_relations(request, article, preview=preview)  # once for the story and its meta
            context = {"article": article, "preview": preview}
            return render_to_string(template_name, context, request)

        if preview:
            return build()
        return slots.cached_fragment(
            request, template_name, article.pk, build, keys=[surrogates.story(article.pk)]
        )

    if not preview:
        surrogates.declare(request, surrogates.story(article.pk))

    context = {
        "article": article,
        "preview": preview,
        "story_html": render_part("newsroom/_story.html"),
        "meta_html": render_part("newsroom/_story_meta.html"),
        "blocks": [] if preview else slots.article_blocks(request, article),
    }
    return render(request, "newsroom/article_detail.html", context)


def article_detail(request, slug):
    article = slots.cached_value(
        request,
        "article",
        slug,
        lambda: _published_story(slug),
        size=16_384,  # a story's row with its body HTML, roughly
        keys=lambda found: [surrogates.story(found.pk)],
    )
    return render_article(request, article)


def _published_story(slug):
    found = PUBLISHED_STORY.first(slug=slug, now=timezone.now())
    if found is None:
        raise Http404("No story is published at this address.")
    return found


@never_cache
def article_preview(request, token):
    try:
        article = Article.from_preview_token(token)
    except (signing.BadSignature, Article.DoesNotExist, ValueError):
        raise Http404("This preview link is not valid or has expired.") from None
    article = article_queryset().get(pk=article.pk)
    response = render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def listing(request, *, title, stories, description="", kind="", subject=None, keys=()):
    """A page of stories, newest first; `stories()` gives the queryset, or `stories` is a
    listings.Listed (the newsroom's own pages: each page one query compiled once). The page is the same for
    every reader until the next change, so it comes from the fragment cache when a current copy
    is there (and then no query is built at all). The section, tag, author or source it lists
    is a site-wide value (a change to one purges every page), so a full render skips its query."""

    def render_stories():
        if isinstance(stories, listings.Listed):
            page = stories.page(request.GET, conf.page_size())
        else:
            page = paginate(request, stories().for_listing())
        page.object_list = slots.annotate_listing(list(page.object_list))
        return render_to_string("newsroom/_listing.html", {"page": page}, request)

    key = f"{kind}:{subject.pk if subject is not None else title}:{request.GET.urlencode()}"
    surrogates.declare(request, *keys)
    content = slots.cached_fragment(request, "listing", key, render_stories, keys=keys)
    return render(
        request,
        "newsroom/listing.html",
        {
            "title": title,
            "description": description,
            "kind": kind,
            "subject": subject,
            "content_html": content,
            "current_section": subject if kind == "Section" else None,
            "page_blocks": slots.page_blocks(request, "section", subject) if kind == "Section" else [],
        },
    )


def section_detail(request, slug):
    section = slots.cached_value(
        request, "section", slug, lambda: get_object_or_404(Section, slug=slug), site=True
    )
    return listing(
        request,
        title=section.name,
        description=section.description,
        kind="Section",
        subject=section,
        keys=[surrogates.section(section.pk)],
        stories=listings.Listed("section", section.pk),
    )


def tag_detail(request, slug):
    tag = slots.cached_value(request, "tag", slug, lambda: get_object_or_404(Tag, slug=slug), site=True)
    return listing(
        request,
        title=tag.name,
        kind="Tag",
        subject=tag,
        keys=[surrogates.tag(tag.pk)],
        stories=listings.Listed("tag", tag.pk),
    )


def author_detail(request, slug):
    author = slots.cached_value(
        request, "author", slug, lambda: get_object_or_404(Author, slug=slug), site=True
    )
    return listing(
        request,
        title=author.name,
        description=author.bio,
        kind="Author",
        subject=author,
        keys=[surrogates.author(author.pk)],
        stories=listings.Listed("author", author.pk),
    )


def source_detail(request, slug):
    source = slots.cached_value(
        request,
        "source",
        slug,
        lambda: get_object_or_404(Source.objects.select_related("logo"), slug=slug),
        site=True,
    )
    description = ", ".join(x for x in [source.country, source.homepage] if x)
    return listing(
        request,
        title=source.name,
        description=description,
        kind="Source",
        subject=source,
        keys=[surrogates.source(source.pk)],
        stories=listings.Listed("source", source.pk),
    )


def archive(request, year, month=None, day=None):
    try:
        start = datetime.datetime(year, month or 1, day or 1, tzinfo=timezone.get_current_timezone())
        if day:
            end, title = start + datetime.timedelta(days=1), start.strftime("%-d %B %Y")
        elif month:
            end = start.replace(year=year + (month == 12), month=month % 12 + 1)
            title = start.strftime("%B %Y")
        else:
            end, title = start.replace(year=year + 1), str(year)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None
    return listing(
        request,
        title=f"Archive: {title}",
        kind="Archive",
        keys=[surrogates.ARCHIVE],
        stories=listings.Listed("archive", [start, end]),
    )


def embed_player(request):
    """The one page that shows a provider's player, reached only when a reader asks for it.

    Its policy lets in that provider's player and nothing else, and only our own story pages
    may frame it. Anonymous and the same for everyone, so caches may keep it.
    """
    url = request.GET.get("url", "")
    provider = embeds.provider_for(url)
    player = embeds.player_url(provider, url) if provider else None
    if player is None:
        raise Http404("This is not something we can show here.")
    src, origin = player
    response = render(
        request,
        "newsroom/embed.html",
        {"src": src, "url": url, "provider_name": embeds.PROVIDERS[provider][0]},
    )
    response["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"frame-src {origin}",
            "frame-ancestors 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "public, max-age=3600, s-maxage=86400"
    response["Surrogate-Key"] = "embed"
    return response
