"""Places where other apps add to newsroom pages without newsroom importing them.

An app registers a provider in its AppConfig.ready():

    slots.register_article_block("related", related_block, order=10, shared=True)

A provider takes (request, article) and returns (template_name, context) or None. The
article view calls every provider (so queries run in the view, not the template) and the
page shows each block's HTML in order. A `shared` block is the same for every reader, so its
HTML may come from the fragment cache without calling the provider.

The fragment cache itself is plugged in the same way (the pagecache app registers one); with
none registered, every fragment is rendered on every request.
"""

from django.template.loader import render_to_string

from broadsheet.core import surrogates

_article_blocks = []
_dashboard_panels = []
_fragment_cache = None


def register_fragment_cache(cache):
    """cache.cached(request, name, key, build) returns build()'s HTML or a current copy of it;
    cache.value(request, name, key, build) the same for a small Python value."""
    global _fragment_cache
    _fragment_cache = cache


def cached_fragment(request, name, key, build, *, keys=()):
    """HTML that is the same for every reader of this page: build() it, or reuse a current copy.
    `keys`: the surrogate keys of what it shows (broadsheet.core.surrogates)."""
    if _fragment_cache is None:
        return build()
    return _fragment_cache.cached(request, name, key, build, keys=keys)


def cached_value(request, name, key, build, *, size=1000, keys=()):
    """A value every reader shares until what it shows changes (the sections, the comment
    rules); `size` is roughly its bytes in memory; `keys` may be a function of the value.
    Within one request a value is looked up once, whoever asks (the site's look is wanted by
    the page, its promo and its share links), even with the fragment cache off."""
    seen = getattr(request, "_slot_values", None) if request is not None else None
    if seen is not None and (name, key) in seen:
        return seen[name, key]
    if _fragment_cache is None:
        found = build()
    else:
        found = _fragment_cache.value(request, name, key, build, size=size, keys=keys)
    if request is not None:
        if seen is None:
            seen = request._slot_values = {}
        seen[name, key] = found
    return found


def register_article_block(name, provider, *, order=50, shared=False):
    _article_blocks[:] = [b for b in _article_blocks if b[1] != name]
    _article_blocks.append((order, name, provider, shared))
    _article_blocks.sort(key=lambda b: (b[0], b[1]))


def render_block(request, article, provider):
    result = provider(request, article)
    if not result:
        return ""
    template_name, context = result
    return render_to_string(template_name, {"data": context}, request)


def article_blocks(request, article, *, cache=True):
    """[{"name", "html"}] of the blocks under `article`, in order (empty blocks left out)."""
    blocks = []
    for _order, name, provider, shared in _article_blocks:
        if shared and cache:
            html = cached_fragment(
                request,
                f"block-{name}",
                article.pk,
                lambda p=provider: render_block(request, article, p),
                keys=[surrogates.story(article.pk)],
            )
        else:
            html = render_block(request, article, provider)
        if html:
            blocks.append({"name": name, "html": html})
    return blocks


def register_dashboard_panel(name, provider, *, order=50):
    """provider() returns a list of {"label", "count", "url"} for the editors' dashboard."""
    _dashboard_panels[:] = [p for p in _dashboard_panels if p[1] != name]
    _dashboard_panels.append((order, name, provider))
    _dashboard_panels.sort(key=lambda p: (p[0], p[1]))


def dashboard_panels(user=None):
    """The panels' rows; with a user, only those whose admin list they may see (a Writer sees
    no lockout or spam counts)."""
    rows = []
    for _order, _name, provider in _dashboard_panels:
        rows.extend(provider())
    return rows if user is None else [row for row in rows if _may_see(user, row["url"])]


def _may_see(user, url):
    from django.urls import Resolver404, resolve

    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return False
    if match.url_name and match.url_name.endswith("_changelist") and match.namespace == "admin":
        app_label, model = match.url_name[: -len("_changelist")].split("_", 1)
        return user.has_perm(f"{app_label}.view_{model}") or user.has_perm(f"{app_label}.change_{model}")
    return True


_listing_annotators = []


def register_listing_annotator(name, annotator):
    """annotator(articles) sets attributes on each article of a list in one query, e.g. a count."""
    _listing_annotators[:] = [a for a in _listing_annotators if a[0] != name]
    _listing_annotators.append((name, annotator))


def annotate_listing(articles):
    articles = [a for a in articles if a is not None]
    if articles:
        for _name, annotator in _listing_annotators:
            annotator(articles)
    return articles


_page_blocks = []
_home_layout = []


def register_page_block(place, name, provider, *, order=50, shared=False, freshness=None):
    """A block on a listing page: `place` is "home" or "section". provider(request, subject)
    returns (template_name, context) or None; subject is the section (None on the home page).
    A `shared` block's HTML may come from the fragment cache until content changes or, when
    given, until freshness() returns another value (e.g. the current five minutes)."""
    _page_blocks[:] = [b for b in _page_blocks if (b[1], b[2]) != (place, name)]
    _page_blocks.append((order, place, name, provider, shared, freshness))
    _page_blocks.sort(key=lambda b: (b[0], b[2]))


def page_blocks(request, place, subject=None):
    """[{"name", "html"}] of the blocks registered for `place`, in order (empty ones left out)."""
    blocks = []
    for _order, block_place, name, provider, shared, freshness in _page_blocks:
        if block_place != place:
            continue
        if shared:
            key = f"{subject.pk if subject is not None else ''}:{freshness() if freshness else ''}"
            html = cached_fragment(
                request, f"page-{place}-{name}", key, lambda p=provider: render_block(request, subject, p)
            )
        else:
            html = render_block(request, subject, provider)
        if html:
            blocks.append({"name": name, "html": html})
    return blocks


def register_home_layout(provider):
    """provider(request) returns [(section id, number of stories)] for the home page's section
    blocks, in order, or None for the default (every navigation section)."""
    _home_layout[:] = [provider]


def home_layout(request):
    for provider in _home_layout:
        return provider(request)
    return None


_seed_steps = []


def register_seed_step(name, step):
    """step(article_ids, seed=...) adds an app's demo data to what `broadsheet seed` wrote
    (the comments app adds readers' comments) and returns how many rows it made."""
    _seed_steps[:] = [s for s in _seed_steps if s[0] != name]
    _seed_steps.append((name, step))


def seed_steps():
    return list(_seed_steps)
