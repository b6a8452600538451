"""`broadsheet import-wordpress` on an export written by the real WordPress (fixtures/, made by
make_fixtures.sh): every post, page, picture and comment arrives, and every old URL redirects."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from broadsheet.comments.models import Comment
from broadsheet.media.models import Picture
from broadsheet.newsroom.models import Article, Author
from broadsheet.pages.models import Page
from broadsheet.redirects.models import Redirect
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "site-export.xml"
UPLOADS = FIXTURES / "uploads.tar.gz"
EXPORT_TEXT = EXPORT.read_text(encoding="utf-8")


def run(*args, export=EXPORT):
    out = io.StringIO()
    call_command("import-wordpress", str(export), "--no-progress", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def imported():
    return run("--uploads", str(UPLOADS))


def test_every_post_arrives_with_its_status(imported):
    by_slug = {a.slug: a for a in Article.objects.all()}
    assert by_slug["council-votes-bridge"].is_published()
    assert by_slug["budget-day-preview"].is_scheduled()
    assert by_slug["staff-notes"].status == "draft"  # private: kept, not public
    assert by_slug["withdrawn-story"].status == "draft"  # trash: kept, not public
    assert by_slug["ferry-timetable"].status == "review"  # pending review
    assert by_slug["half-written-piece-on-parking"].status == "draft"
    assert len(by_slug) == 10
    assert "posts created: 10" in imported


def test_dates_are_wordpress_dates_not_the_import_day(imported, client):
    article = Article.objects.get(slug="council-votes-bridge")
    assert article.publish_at.isoformat() == "2026-03-03T09:15:00+00:00"
    assert article.updated_at.isoformat() == "2026-03-04T11:00:00+00:00"
    trams = Article.objects.get(slug="first-trams-run")
    assert not trams.was_updated()
    page = client.get(trams.get_absolute_url()).content.decode()
    assert "Updated" not in page


def test_categories_tags_authors_excerpt_and_source(imported):
    article = Article.objects.get(slug="council-votes-bridge")
    assert article.section.name == "City"
    assert set(article.tags.values_list("name", flat=True)) == {"bridges", "council", "Transport"}
    assert [a.name for a in article.authors.all()] == ["Ayla Demir"]
    assert article.summary == "A ten-year wait ends with a vote."
    assert article.source.name == "Riverside Courier"
    assert article.source_url == "https://riverside-courier.example/bridge-vote"
    author = Author.objects.get(name="Ayla Demir")
    assert author.contact_email == "ayla@newsroom.example"


def test_author_email_never_shown(imported, client):
    author = Author.objects.get(name="Ayla Demir")
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Ayla Demir" in page and "ayla@newsroom.example" not in page


def test_unicode_slugs_survive_and_answer(imported, client):
    turkish = Article.objects.get(headline="Şehir meclisi köprü için oy kullandı")
    assert turkish.slug == "şehir-meclisi-köprü-oyu"
    assert client.get(turkish.get_absolute_url()).status_code == 200
    greek = Article.objects.get(headline="Νέα γέφυρα στην πόλη")
    assert greek.slug == "νέα-γέφυρα-στην-πόλη"


def test_block_content_keeps_its_structure(imported):
    body = Article.objects.get(slug="council-votes-bridge").body
    assert '<a href="https://council.example/minutes" rel="noopener noreferrer">the minutes</a>' in body
    assert "<h2>What changes</h2>" in body
    assert "<li>Two lanes for buses</li>" in body
    assert "<blockquote><p>We waited ten years for this.</p><cite>A resident</cite></blockquote>" in body
    assert '<figure class="gallery">' in body and body.count('class="picture"') == 3
    assert 'data-embed-provider="youtube"' in body and "<figcaption>The council meeting, recorded.</figcaption>" in body
    assert 'data-embed-provider="x" data-embed-url="https://twitter.com/citycouncil/status/1234567890"' in body
    assert "wp:" not in body and "wp-block" not in body


def test_classic_content_captions_galleries_embeds_and_unknown_shortcodes(imported):
    body = Article.objects.get(slug="first-trams-run").body
    assert "<p>Riders queued before dawn.</p>" in body
    tram = Picture.objects.get(title="New tram")
    assert f'data-picture-id="{tram.pk}"' in body and "The first tram, on its test run." in body
    assert body.count('class="picture"') == 3  # the caption and a gallery of two
    assert 'data-embed-provider="vimeo"' in body and 'data-embed-provider="instagram"' in body
    assert '[poll id="7"]' in body
    assert "unknown shortcode [poll]" in imported
    assert "<script" not in body and "onclick" not in body and "A line with a handler." in body


def test_pictures_come_from_the_uploads_with_their_words(imported):
    bridge = Picture.objects.get(title="The old bridge")
    assert bridge.alt_text == "A stone bridge over a river" and bridge.caption == "The old bridge at dusk."
    assert bridge.origin.startswith("wordpress:attachment:")
    article = Article.objects.get(slug="council-votes-bridge")
    assert article.image.name == bridge.file.name and article.image_alt == "A stone bridge over a river"
    assert f'src="{bridge.file.url}"' in article.body
    assert "broken.jpg is not a picture we accept" in imported


def test_comments_keep_threads_and_moderation(imported):
    article = Article.objects.get(slug="council-votes-bridge")
    comments = {c.body: c for c in Comment.objects.filter(article=article)}
    first, reply, answer = (
        comments["About time this happened."],
        comments["Will the buses really fit?"],
        comments["Yes, the plans show it."],
    )
    assert reply.parent == first and answer.parent == reply and answer.thread == first and answer.depth == 3
    assert first.status == "approved" and first.author_url == "https://lena.example"
    assert first.created_at.isoformat() == "2026-03-03T11:00:00+00:00"
    assert comments["Waiting for an editor to see this."].status == "pending"
    assert comments["Something rude."].status == "trash"
    assert "pingbacks skipped: 1" in imported and "loops back" not in imported
    assert not any("the bridge vote" in body for body in comments)


def test_comments_show_without_emails(imported, client):
    article = Article.objects.get(slug="council-votes-bridge")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "About time this happened." in page and "Yes, the plans show it." in page
    assert "lena@readers.example" not in page
    assert "Waiting for an editor" not in page and "Something rude." not in page


def test_pages_become_static_pages(imported, client):
    about = Page.objects.get(slug="about")
    assert about.title == "About us" and "small newsroom covering the city" in about.body
    assert set(Page.objects.values_list("slug", flat=True)) == {"about", "team", "contact", "privacy"}
    response = client.get("/page/contact/")
    assert response.status_code == 200 and "We answer within a day." in response.content.decode()
    assert 'href="/page/about/"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "old, new",
    [
        ("/2026/03/03/council-votes-bridge/", "/story/council-votes-bridge/"),
        ("/2026/03/06/%c5%9fehir-meclisi-k%c3%b6pr%c3%bc-oyu/", "/story/%C5%9Fehir-meclisi-k%C3%B6pr%C3%BC-oyu/"),
        ("/?p={bridge}", "/story/council-votes-bridge/"),
        ("/about/", "/page/about/"),
        ("/about/team/", "/page/team/"),
        ("/?page_id={about}", "/page/about/"),
        ("/category/city/", "/section/city/"),
        ("/?cat={city}", "/section/city/"),
        ("/?author={ayla}", "/author/ayla/"),
        ("/?tag=bridges", "/tag/bridges/"),
        ("/category/city/feed/", "/feed/section/city/"),
        ("/tag/bridges/feed/", "/feed/tag/bridges/"),
        ("/author/ayla/feed/", "/feed/author/ayla/"),
        ("/2026/03/", "/archive/2026/3/"),
        ("/2026/03/03/", "/archive/2026/3/3/"),
        ("/feed/rss2/", "/feed/"),
        ("/the-old-bridge/", "{bridge_picture}"),
        ("/wp-content/uploads/2026/03/bridge.jpg", "{bridge_picture}"),
        ("/wp-content/uploads/2026/03/bridge-300x169.jpg", "{bridge_picture}"),
        ("/2026/03/03/council-votes-bridge/feed/", "/comments/feed/{bridge_article}/"),
    ],
)
def test_old_addresses_redirect_to_their_new_home(imported, client, old, new):
    from broadsheet.wordpress.models import WordPressItem

    article = Article.objects.get(slug="council-votes-bridge")
    values = {
        "bridge": WordPressItem.objects.get(kind="post", object_id=article.pk).wp_id,
        "about": WordPressItem.objects.get(kind="page", object_id=Page.objects.get(slug="about").pk).wp_id,
        "bridge_picture": Picture.objects.get(title="The old bridge").file.url,
        "bridge_article": article.pk,
        "city": re.search(r"<wp:term_id>(\d+)</wp:term_id>\s*<wp:category_nicename><!\[CDATA\[city\]", EXPORT_TEXT).group(1),
        "ayla": re.search(r"<wp:author_id>(\d+)</wp:author_id><wp:author_login><!\[CDATA\[ayla\]", EXPORT_TEXT).group(1),
    }
    response = client.get(old.format(**values))
    assert response.status_code == 301
    assert response["Location"] == new.format(**values)


def test_our_own_addresses_are_not_redirected(imported, client):
    assert client.get("/feed/").status_code == 200
    assert client.get("/tag/bridges/").status_code == 200
    assert not Redirect.objects.filter(old_path="/tag/bridges/").exists()


def test_redirect_counts_its_hits(imported, client):
    client.get("/about/")
    client.get("/about/")
    rule = Redirect.objects.get(old_path="/about/")
    assert rule.hits == 2 and rule.last_hit_at is not None


def test_second_run_changes_and_duplicates_nothing(imported):
    counts = (Article.objects.count(), Comment.objects.count(), Picture.objects.count(), Page.objects.count())
    output = run("--uploads", str(UPLOADS))
    assert (Article.objects.count(), Comment.objects.count(), Picture.objects.count(), Page.objects.count()) == counts
    assert "posts unchanged: 10" in output and "pictures unchanged: 3" in output


def test_changed_post_is_updated_in_place(imported, tmp_path):
    text = EXPORT.read_text(encoding="utf-8").replace(
        "We waited ten years for this.", "We waited a whole decade for this."
    )
    changed = tmp_path / "changed.xml"
    changed.write_text(text, encoding="utf-8")
    output = run("--uploads", str(UPLOADS), export=changed)
    assert "posts updated: 1" in output
    assert Article.objects.filter(slug="council-votes-bridge").count() == 1
    assert "a whole decade" in Article.objects.get(slug="council-votes-bridge").body


def test_import_never_touches_our_own_stories():
    ours = make_article("Council votes to rebuild the old bridge", slug="council-votes-bridge", body="Our own words.")
    before = Article.objects.get(pk=ours.pk).body
    output = run("--uploads", str(UPLOADS))
    ours.refresh_from_db()
    assert ours.body == before and ours.slug == "council-votes-bridge"
    theirs = Article.objects.get(external_id__startswith="wordpress:post:", headline=ours.headline)
    assert theirs.slug == "council-votes-bridge-2"
    assert "slug 'council-votes-bridge' is taken" in output


def test_dry_run_stores_nothing():
    output = run("--uploads", str(UPLOADS), "--dry-run")
    assert "Dry run" in output and "posts: 10" in output
    assert not Article.objects.exists() and not Picture.objects.exists() and not Redirect.objects.exists()


def test_since_skips_what_did_not_change(imported, tmp_path):
    text = EXPORT.read_text(encoding="utf-8").replace("Riders queued before dawn.", "Riders queued all night.")
    changed = tmp_path / "changed.xml"
    changed.write_text(text, encoding="utf-8")
    output = run("--uploads", str(UPLOADS), "--since", "2026-03-06", export=changed)
    assert "Riders queued before dawn." in Article.objects.get(slug="first-trams-run").body
    assert "posts updated" not in output


def test_interrupted_import_resumes_without_duplicates(tmp_path):
    text = EXPORT_TEXT
    cut = text.index("<title><![CDATA[Staff notes on the rota]]>")
    partial = tmp_path / "partial.xml"
    partial.write_text(text[:cut], encoding="utf-8")  # as if the import stopped here
    run("--uploads", str(UPLOADS), export=partial)
    assert 0 < Article.objects.count() < 10
    output = run("--uploads", str(UPLOADS))
    assert Article.objects.count() == 10 and Comment.objects.count() == 6
    assert "posts unchanged" in output


def test_sticky_post_leads_the_home_page(imported, client):
    sticky = Article.objects.get(headline="Şehir meclisi köprü için oy kullandı")
    newer = Article.objects.published().exclude(pk=sticky.pk).latest_first().first()
    assert newer.publish_at > sticky.publish_at  # without the pin, another story would lead
    assert sticky.is_pinned() and Article.objects.filter(pinned_at__isnull=False).count() == 1
    html = client.get("/").content.decode()
    front = re.search(r'<section class="front".*?</section>', html, re.S).group(0)
    assert sticky.headline in front and newer.headline not in front
    assert "sticky posts: 1" in imported


def test_changed_comment_is_updated_in_place(imported, tmp_path):
    before = Comment.objects.count()
    old = Comment.objects.get(body__contains="Will the buses really fit?")
    text = EXPORT_TEXT.replace("Will the buses really fit?", "Will the long buses really fit?")
    changed = tmp_path / "changed.xml"
    changed.write_text(text, encoding="utf-8")
    run("--uploads", str(UPLOADS), export=changed)
    assert Comment.objects.count() == before
    comment = Comment.objects.get(pk=old.pk)
    assert "the long buses" in comment.body
    assert Comment.objects.filter(parent=comment).count() == Comment.objects.filter(parent=old).count()
