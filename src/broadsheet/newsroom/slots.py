"""The places where other apps add to newsroom pages without newsroom importing them: the
hooks newsroom defines (broadsheet.core.hooks) and the functions that run them.

An app registers a provider in its AppConfig.ready():

    hooks.register(slots.ARTICLE_BLOCK, related_block, order=10, name="related", shared=True)

A block provider takes (request, article) and returns (template_name, context) or None. The
article view calls every provider (so queries run in the view, not the template) and the
page shows each block's HTML in order. A `shared` block is the same for every reader, so its
HTML may come from the fragment cache without calling the provider.

The fragment cache itself is plugged in here too (the pagecache app registers one); with
none registered, every fragment is rendered on every request.
"""

from django.template.loader import render_to_string

from broadsheet.core import hooks, surrogates

ARTICLE_BLOCK = hooks.define(
    "article_block",
    "A block under a story: provider(request, article) -> (template_name, context) or None. "
    "Registered with name= (the block's name on the page and in the fragment cache); "
    "options: shared=True when its HTML is the same for every reader (fragment-cached).",
)
HOME_BLOCK = hooks.define(
    "home_block",
    "A block on the home page: provider(request, None) -> (template_name, context) or None. "
    "Registered with name=; options: shared, and freshness() whose change renews a shared "
    "block's HTML.",
)
SECTION_BLOCK = hooks.define(
    "section_block",
    "A block on a section page: provider(request, section) -> (template_name, context) or None. "
    "Name and options: as for home_block.",
)
DASHBOARD_PANEL = hooks.define(
    "dashboard_panel",
    'Rows for the editors\' dashboard: provider() -> [{"label", "count", "url"}].',
)
LISTING_ANNOTATOR = hooks.define(
    "listing_annotator",
    "annotator(articles) sets attributes on each article of a list in one query (a count).",
)
HOME_LAYOUT = hooks.define(
    "home_layout",
    "provider(request) -> [(section id, number of stories)] for the home page's section blocks, "
    "or None for the default (every navigation section); the first answer that is not None wins.",
)
SEED_STEP = hooks.define(
    "seed_step",
    "step(article_ids, seed=...) adds an app's demo data to what `broadsheet seed` wrote and "
    "returns how many rows it made; registered with name= (what it made, for the report).",
)
PAGE_BLOCKS = {"home": HOME_BLOCK, "section": SECTION_BLOCK}

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


def cached_value(request, name, key, build, *, size=1000, keys=(), site=False):
    """A value every reader shares until what it shows changes (the sections, the comment
    rules); `size` is roughly its bytes in memory; `keys` may be a function of the value.
    `site=True` for a site-wide value that changes rarely: kept even with fragments off.
    Within one request a value is looked up once, whoever asks (the site's look is wanted by
    the page, its promo and its share links), even with the fragment cache off."""
    seen = getattr(request, "_slot_values", None) if request is not None else None
    if seen is not None and (name, key) in seen:
        return seen[name, key]
    if _fragment_cache is None:
        found = build()
    else:
        found = _fragment_cache.value(request, name, key, build, size=size, keys=keys, site=site)
    if request is not None:
        if seen is None:
            seen = request._slot_values = {}
        seen[name, key] = found
    return found


def site_values_kept():
    """Whether site-wide values are kept per worker: a set read to spare each page a query
    (the stories that are live) is worth it only then."""
    return _fragment_cache is not None and _fragment_cache.keeps_site_values()


def render_block(request, article, provider):
    result = provider(request, article)
    if not result:
        return ""
    template_name, context = result
    return render_to_string(template_name, {"data": context}, request)


def article_blocks(request, article, *, cache=True):
    """[{"name", "html"}] of the blocks under `article`, in order (empty blocks left out)."""
    blocks = []
    for hook in hooks.get_entries(ARTICLE_BLOCK):
        name, provider = hook.name, hook.fn
        if hook.options.get("shared") and cache:
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


def dashboard_panels(user=None):
    """The panels' rows; with a user, only those whose admin list they may see (a Writer sees
    no lockout or spam counts)."""
    rows = []
    for provider in hooks.get_hooks(DASHBOARD_PANEL):
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


def annotate_listing(articles, *, only=None):
    """Run the annotators (those named in `only`, when given) over a list of articles."""
    articles = [a for a in articles if a is not None]
    if articles:
        for entry in hooks.get_entries(LISTING_ANNOTATOR):
            if only is None or entry.name in only:
                entry.fn(articles)
    return articles


def page_blocks(request, place, subject=None):
    """[{"name", "html"}] of the blocks registered for `place` ("home" or "section"), in order
    (empty ones left out); subject is the section (None on the home page)."""
    blocks = []
    for hook in hooks.get_entries(PAGE_BLOCKS[place]):
        name, provider, freshness = hook.name, hook.fn, hook.options.get("freshness")
        if hook.options.get("shared"):
            key = f"{subject.pk if subject is not None else ''}:{freshness() if freshness else ''}"
            html = cached_fragment(
                request, f"page-{place}-{name}", key, lambda p=provider: render_block(request, subject, p)
            )
        else:
            html = render_block(request, subject, provider)
        if html:
            blocks.append({"name": name, "html": html})
    return blocks


def home_layout(request):
    for provider in hooks.get_hooks(HOME_LAYOUT):
        layout = provider(request)
        if layout is not None:
            return layout
    return None


def seed_steps():
    """[(name, step)] of the registered seed steps, in order."""
    return [(hook.name, hook.fn) for hook in hooks.get_entries(SEED_STEP)]
