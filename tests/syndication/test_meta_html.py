"""The page's metadata tags, written without a template, are the HTML the template wrote."""

import pytest
from django.template import engines
from django.utils.safestring import mark_safe

from broadsheet.syndication.metadata import PageMeta, json_ld, meta_html

# The template that showed a PageMeta before meta_html() took its place.
REFERENCE = engines["django"].from_string(
    """{% if meta.canonical %}<link rel="canonical" href="{{ meta.canonical }}">
{% endif %}{% if meta.robots %}<meta name="robots" content="{{ meta.robots }}">
{% endif %}{% for name, value in meta.og %}<meta property="{{ name }}" content="{{ value }}">
{% endfor %}{% for name, value in meta.twitter %}<meta name="{{ name }}" content="{{ value }}">
{% endfor %}{% for link in meta.alternates %}<link rel="alternate" type="{{ link.type }}" \
title="{{ link.title }}" href="{{ link.href }}">
{% endfor %}{% for language, href in meta.languages %}<link rel="alternate" hreflang="{{ language }}" \
href="{{ href }}">
{% endfor %}{% for document in meta.json_ld %}<script type="application/ld+json">{{ document }}</script>
{% endfor %}
""".replace("\\\n", "")
)


def test_metadata_html_is_what_the_template_wrote_with_every_value_escaped():
    meta = PageMeta(
        canonical='https://example.org/story/a-"quoted"-<b>/?x=1&y=2',
        robots="noindex, nofollow",
        og=[("og:title", 'Tom & Jerry\'s "big" <day>'), ("og:image", "https://example.org/a.jpg?w=1&h=2")],
        twitter=[("twitter:title", "<script>alert(1)</script>")],
        alternates=[{"type": "application/rss+xml", "title": "News & views (RSS)", "href": "/feed/?a=1&b=2"}],
        languages=[("fr", "https://example.org/fr/?a=1&b=2")],
        json_ld=[json_ld({"headline": "</script><b>&"}), mark_safe("{}")],
    )
    html = meta_html(meta)
    assert html == REFERENCE.render({"meta": meta})
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</script><b>" not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


def test_empty_metadata_is_one_newline_as_before():
    assert meta_html(PageMeta()) == REFERENCE.render({"meta": PageMeta()}) == "\n"


@pytest.mark.django_db
def test_feed_addresses_follow_the_script_prefix_and_a_renamed_slug():
    from django.urls import set_script_prefix

    from broadsheet.syndication.services import feed_urls
    from tests.conftest import make_section

    section = make_section("Harbour News")
    first = feed_urls(section)
    assert first["rss"].startswith("/") and section.slug in first["rss"]
    section.slug = "harbour-renamed"
    assert "harbour-renamed" in feed_urls(section)["atom"]
    set_script_prefix("/news/")
    try:
        assert feed_urls(section)["json"].startswith("/news/")
    finally:
        set_script_prefix("/")
    assert feed_urls(section)["json"].startswith("/") and not feed_urls(section)["json"].startswith("/news/")
