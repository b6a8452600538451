"""Bad exports: each problem is one clear report line, never a traceback, and every good item
is still imported."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
{doctype}<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/{v}/">
<channel><title>Old site</title><link>https://old.example</link>
<wp:wxr_version>{v}</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[kim]]></wp:author_login><wp:author_email>kim@old.example</wp:author_email>
<wp:author_display_name><![CDATA[Kim Lee]]></wp:author_display_name></wp:author>
"""


def post(wp_id, title="A good story", *, name=None, date="2025-05-01 10:00:00", content="<p>Words.</p>", status="publish"):
    name = name if name is not None else f"story-{wp_id}"
    return f"""<item><title><![CDATA[{title}]]></title><link>https://old.example/{name}/</link>
<dc:creator>kim</dc:creator><content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{wp_id}</wp:post_id>
<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:post_modified_gmt>{date}</wp:post_modified_gmt><wp:post_name>{name}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category></item>
"""


def export(tmp_path, *items, version="1.2", doctype="", end=True):
    text = HEAD.format(v=version, doctype=doctype) + "".join(items) + ("</channel></rss>\n" if end else "")
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import-wordpress", str(path), "--no-progress", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_truncated_export_keeps_what_came_before(tmp_path):
    path = export(tmp_path, post(1), post(2), '<item><title>Cut off', end=False)
    output = run(path)
    assert Article.objects.count() == 2
    assert "truncated or malformed at line" in output


def test_malformed_export_is_refused_plainly(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text("this is not XML at all", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)


def test_not_an_export_is_refused(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text("<?xml version='1.0'?><html><body>hello</body></html>", encoding="utf-8")
    with pytest.raises(CommandError):
        run(path)


def test_unknown_wxr_version_is_refused(tmp_path):
    path = export(tmp_path, post(1), version="9.9")
    with pytest.raises(CommandError):
        run(path)
    assert not Article.objects.exists()


def test_wxr_1_1_is_read(tmp_path):
    run(export(tmp_path, post(1), version="1.1"))
    assert Article.objects.count() == 1


def test_entity_bomb_is_never_expanded(tmp_path):
    doctype = (
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
        + "]>\n"
    )
    path = export(tmp_path, post(1, title="&i;"), doctype=doctype)
    with pytest.raises(CommandError):
        run(path)
    assert not Article.objects.exists()


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    doctype = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
    path = export(tmp_path, post(1, title="&x;"), doctype=doctype)
    with pytest.raises(CommandError):
        run(path)
    assert not Article.objects.filter(headline__contains="TOP-SECRET").exists()


def test_post_with_no_title_gets_one_from_its_words(tmp_path):
    output = run(export(tmp_path, post(1, title="", content="<p>Ferries run late tonight because of the storm.</p>")))
    article = Article.objects.get()
    assert article.headline.startswith("Ferries run late tonight")
    assert "no title" in output


def test_duplicate_slugs_get_a_suffix(tmp_path):
    output = run(export(tmp_path, post(1, name="same-name"), post(2, "Another", name="same-name")))
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["same-name", "same-name-2"]
    assert "is taken" in output


@pytest.mark.parametrize("date", ["0000-01-01 00:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "2025-13-45 99:00:00"])
def test_impossible_dates_are_reported_and_the_rest_imported(tmp_path, date):
    output = run(export(tmp_path, post(1, "Bad date", date=date), post(2)))
    assert Article.objects.get(headline="A good story").is_published()
    bad = Article.objects.get(headline="Bad date")
    assert not bad.is_published()
    assert "post 1" in output and ("out of range" in output or "not a date" in output)


def test_scripts_and_event_handlers_are_removed(tmp_path):
    content = '<p onmouseover="steal()">Hi <a href="javascript:alert(1)">there</a></p><script>alert(1)</script><iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)>'
    run(export(tmp_path, post(1, content=content)))
    body = Article.objects.get().body
    for bad in ("onmouseover", "javascript:", "<script", "<iframe", "onerror"):
        assert bad not in body
    assert "there" in body


def test_missing_uploads_folder_is_reported_and_stories_import(tmp_path):
    output = run(export(tmp_path, post(1)), "--uploads", str(tmp_path / "nowhere"))
    assert "does not exist" in output
    assert Article.objects.count() == 1


def test_no_uploads_given_is_reported():
    fixture = Path(__file__).parent / "fixtures" / "site-export.xml"
    output = run(fixture)
    assert "no uploads folder given" in output
    assert Article.objects.filter(slug="council-votes-bridge").exists()


def comment(wp_id, parent=0, *, kind="comment", text=None):
    return f"""<wp:comment><wp:comment_id>{wp_id}</wp:comment_id><wp:comment_author>Reader {wp_id}</wp:comment_author>
<wp:comment_author_email>r{wp_id}@readers.example</wp:comment_author_email><wp:comment_date_gmt>2025-05-02 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{text if text is not None else f"Comment number {wp_id}."}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def test_odd_comment_threads_are_kept_or_reported(tmp_path):
    comments = "".join(
        [
            comment(1),
            comment(2, 1, kind="pingback"),
            comment(3, 2),  # a reply to a pingback joins the thread above it
            comment(4, 5),
            comment(5, 4),  # 4 and 5 answer each other: a loop
            comment(6, text="   "),
        ]
    )
    item = post(1).replace("</item>", comments + "</item>")
    output = run(export(tmp_path, item))
    from broadsheet.comments.models import Comment

    stored = {c.body: c for c in Comment.objects.all()}
    assert set(stored) == {"Comment number 1.", "Comment number 3."}
    assert stored["Comment number 3."].parent == stored["Comment number 1."]
    assert "comment 4: its thread loops back on itself" in output and "comment 6: empty comment" in output
