"""Places where other apps add to newsroom pages without newsroom importing them.

An app registers a provider in its AppConfig.ready():

    slots.register_article_block("related", related_block, order=10)

A provider takes (request, article) and returns (template_name, context) or None. The
article view calls every provider (so queries run in the view, not the template) and the
template includes each block in order.
"""

_article_blocks = []
_dashboard_panels = []


def register_article_block(name, provider, *, order=50):
    _article_blocks[:] = [b for b in _article_blocks if b[1] != name]
    _article_blocks.append((order, name, provider))
    _article_blocks.sort(key=lambda b: (b[0], b[1]))


def article_blocks(request, article):
    blocks = []
    for _order, name, provider in _article_blocks:
        result = provider(request, article)
        if result:
            template_name, context = result
            blocks.append({"name": name, "template": template_name, "context": context})
    return blocks


def register_dashboard_panel(name, provider, *, order=50):
    """provider() returns a list of {"label", "count", "url"} for the editors' dashboard."""
    _dashboard_panels[:] = [p for p in _dashboard_panels if p[1] != name]
    _dashboard_panels.append((order, name, provider))
    _dashboard_panels.sort(key=lambda p: (p[0], p[1]))


def dashboard_panels():
    rows = []
    for _order, _name, provider in _dashboard_panels:
        rows.extend(provider())
    return rows


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
