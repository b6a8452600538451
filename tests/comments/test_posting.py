"""Readers post comments: the form, holding first-timers, auto-approval, threads, paging, bad input."""

import datetime
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import form_data, make_comment, save_rules

pytestmark = pytest.mark.django_db


def page_text(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_article_shows_the_leave_a_reply_form(client):
    article = make_article("Tidal power station opens")
    html = page_text(client, article)
    assert 'id="comments"' in html
    assert "Leave a Reply" in html
    assert "Your email address will not be published. Required fields are marked" in html
    for label in ("Comment", "Name", "Email"):
        assert f'{label} <span class="required" aria-hidden="true">*</span></label>' in html
    assert '<label for="id_url">Website</label>' in html
    assert "Save my name, email, and website in this browser for the next time I comment." in html
    assert 'name="website_url_confirm"' in html and 'name="form_stamp"' in html


def test_first_time_commenter_is_held_and_only_they_see_it(client, post):
    article = make_article()
    response = post(article, comment="First words from a new reader.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "Not a known commenter yet (no approved comment from this browser)."
    assert response.status_code == 302
    # The story page is the same for everyone, so the writer lands on a page of their own...
    assert response["Location"] == f"/comments/held/{comment.pk}/"
    held = client.get(response["Location"])
    assert held.status_code == 200 and "no-store" in held["Cache-Control"]
    assert "First words from a new reader." in held.content.decode()
    assert "Your comment is awaiting moderation." in held.content.decode()
    # ...and, with JavaScript, sees it under the story through their own uncached request.
    state = client.get(f"/comments/state/{article.pk}/").json()
    assert "First words from a new reader." in state["awaiting"][0]["html"]
    assert "First words from a new reader." not in page_text(client, article)
    stranger = Client()
    assert "First words from a new reader." not in page_text(stranger, article)
    assert stranger.get(f"/comments/state/{article.pk}/").json()["awaiting"] == []
    assert stranger.get(response["Location"]).status_code == 404


def test_known_commenter_is_approved_at_once_after_an_editor_approved_one(client, post):
    from broadsheet.comments import services

    article = make_article()
    post(article, comment="My very first comment.")
    services.approve(Comment.objects.get())
    post(article, comment="And a second thought, published straight away.", email="MIRA@example.net")
    second = Comment.objects.get(body__startswith="And a second")
    assert second.status == Comment.Status.APPROVED
    assert "And a second thought" in page_text(Client(), article)


def test_without_auto_approval_rule_comments_appear_at_once(post):
    save_rules(auto_approve_known=False)
    article = make_article()
    post(article)
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_approved_comment_redirects_to_its_anchor_and_shows_publicly(client, post):
    save_rules(auto_approve_known=False)
    article = make_article()
    response = post(article, comment="Visible to all.\n\nSecond paragraph\nwith a break.")
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = page_text(Client(), article)
    assert f'id="comment-{comment.pk}"' in html
    assert "<p>Visible to all.</p>\n<p>Second paragraph<br>with a break.</p>" in html
    assert "1 reply to" in html


def test_remember_cookie_is_set_only_when_ticked(client, post):
    article = make_article()
    response = post(article, comment="Without remembering.")
    assert "bs_commenter" not in response.cookies
    response = post(article, comment="With remembering.", remember="1", url="https://mira.example")
    assert "bs_commenter" in response.cookies
    cookie = response.cookies["bs_commenter"]
    assert cookie["httponly"] and "mira@example.net" not in cookie.value
    html = page_text(client, article)
    assert "Mira Kovač" not in html and "mira@example.net" not in html
    state = client.get(f"/comments/state/{article.pk}/").json()
    assert (state["author"], state["email"], state["remember"]) == ("Mira Kovač", "mira@example.net", True)
    response = post(article, comment="Now forget me please.")
    assert response.cookies["bs_commenter"].value == ""


def test_reply_threads_under_its_parent(client, post):
    save_rules(auto_approve_known=False)
    article = make_article()
    parent = make_comment(article, body="The opening remark.")
    post(article, comment="A reply to the opening remark.", parent=str(parent.pk))
    reply = Comment.objects.get(body__startswith="A reply")
    assert reply.parent == parent and reply.depth == 2 and reply.thread == parent
    html = page_text(Client(), article)
    outer = html.index(f'id="comment-{parent.pk}"')
    assert html.index('<ol class="children">', outer) < html.index(f'id="comment-{reply.pk}"')


def test_reply_link_without_javascript_sets_the_form_to_reply(client):
    article = make_article()
    parent = make_comment(article, author_name="Ilse Brandt")
    html = page_text(client, article)
    assert f'href="{article.get_absolute_url()}?replytocom={parent.pk}#respond"' in html
    html = page_text(client, article, f"?replytocom={parent.pk}")
    assert f'name="parent" id="id_parent" value="{parent.pk}"' in html
    assert 'Replying to <strong id="replying-to-name">Ilse Brandt</strong>' in html
    # A bogus or foreign reply target is ignored, never an error.
    other = make_comment(make_article())
    for bad in ("abc", "999999", str(other.pk), "-1"):
        html = page_text(client, article, f"?replytocom={bad}")
        assert 'name="parent" id="id_parent" value=""' in html


def test_depth_limit_stops_reply_links_and_flattens_deeper_replies(client, post):
    save_rules(auto_approve_known=False, max_depth=3)
    article = make_article()
    one = make_comment(article)
    two = make_comment(article, parent=one)
    three = make_comment(article, parent=two)
    html = page_text(client, article)
    assert f"?replytocom={two.pk}#" in html
    assert f"?replytocom={three.pk}#" not in html
    post(article, comment="Trying to go one level deeper.", parent=str(three.pk))
    deeper = Comment.objects.get(body__startswith="Trying")
    assert deeper.depth == 3 and deeper.parent == two


def test_long_discussions_are_paged_and_order_is_a_setting(client):
    save_rules(per_page=2)
    article = make_article()
    base = timezone.now() - datetime.timedelta(hours=1)
    made = [
        make_comment(article, body=f"Thread {n} opens here.", created_at=base + datetime.timedelta(minutes=n))
        for n in range(5)
    ]
    first = page_text(client, article)
    assert "Thread 0 opens" in first and "Thread 1 opens" in first and "Thread 2 opens" not in first
    assert "Page 1 of 3" in first and "?cpage=2#comments" in first
    last = page_text(client, article, "?cpage=3")
    assert "Thread 4 opens" in last and "Thread 0 opens" not in last
    assert f"{article.get_absolute_url()}?cpage=3&amp;replytocom={made[4].pk}#respond" in last
    assert "Thread 0 opens" in page_text(client, article, "?cpage=nonsense")
    # A permalink finds the right page.
    response = client.get(f"/comments/{made[4].pk}/")
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=3#comment-{made[4].pk}"
    save_rules(newest_first=True)
    first = page_text(client, article)
    assert first.index("Thread 4 opens") < first.index("Thread 3 opens")
    assert "Thread 0 opens" not in first


def test_permalink_of_a_hidden_comment_is_not_found(client):
    article = make_article()
    held = make_comment(article, status="pending")
    assert client.get(f"/comments/{held.pk}/").status_code == 404
    assert client.get("/comments/987654/").status_code == 404


def test_listing_pages_show_counts_in_one_query(client, django_assert_max_num_queries):
    from broadsheet.comments.services import annotate_comment_counts

    articles = [make_article(f"Counted story {n}") for n in range(4)]
    for _ in range(3):
        make_comment(articles[0])
    make_comment(articles[1])
    make_comment(articles[1], status="pending")
    make_comment(articles[2], status="spam")
    with django_assert_max_num_queries(1):
        annotate_comment_counts(articles)
    assert [a.comment_count for a in articles] == [3, 1, 0, 0]
    html = client.get("/").content.decode()
    assert "3 replies" in html and "1 reply" in html


def test_article_page_queries_do_not_grow_with_comments(client, django_assert_max_num_queries):
    save_rules()  # default paging: 50 threads a page
    article = make_article()
    for _ in range(3):
        parent = make_comment(article)
        make_comment(article, parent=make_comment(article, parent=parent))
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(19) as few:
        client.get(article.get_absolute_url())
    small = len(few.captured_queries)
    for _ in range(20):
        parent = make_comment(article)
        make_comment(article, parent=make_comment(article, parent=parent))
    # Three more queries at most, once the threads fill more than a page: their count, the page
    # of threads and their replies read apart (a story's comments with its tally are one query
    # while they fit on one page; beyond, that query only tells the tally).
    with django_assert_max_num_queries(small + 3):
        client.get(article.get_absolute_url())
    for _ in range(20):
        make_comment(article)
    with django_assert_max_num_queries(small + 3):
        client.get(article.get_absolute_url())


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field_message"),
    [
        ({"comment": ""}, "Please write your comment."),
        ({"comment": "   \n\t  "}, "Please write your comment."),
        ({"author": ""}, "Please give your name."),
        ({"email": ""}, "Please give your email address. It will not be published."),
        ({"email": "not-an-address"}, "Please give a valid email address"),
        ({"url": "javascript:alert(1)"}, "Please give a web address"),
        ({"comment": "x" * 10_001}, "the most we take is 10,000"),
        ({"author": "n" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_fields_answer_beside_the_field_and_keep_the_text(post, fields, field_message):
    article = make_article()
    typed = {"comment": "Kept words of mine.", **fields}
    response = post(article, **typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_message in html
    assert Comment.objects.count() == 0
    if typed["comment"].strip() and len(typed["comment"]) < 100:
        assert typed["comment"] in html


def test_nul_bytes_and_broken_unicode_are_cleaned_not_fatal(client, post, django_capture_on_commit_callbacks):
    save_rules(auto_approve_known=False)
    article = make_article()
    body = urlencode(form_data(author="Na\x00me")).replace(
        "comment=", "comment=Hello%00+there+%ED%A0%80%FF+friend+", 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/comments/post/{article.pk}/", body, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert "\x00" not in comment.body and "\x00" not in comment.author_name
    assert comment.body.startswith("Hello there")
    response = post(article, comment="\x00\x00", author="Someone")
    assert response.status_code == 200 and "Please write your comment." in response.content.decode()


def test_html_and_script_are_shown_as_text_and_links_are_nofollow(client, post):
    save_rules(auto_approve_known=False)
    article = make_article()
    post(
        article,
        comment='<script>alert("x")</script> <b>bold</b> see https://example.org/page.',
        author="<i>Eve</i>",
    )
    html = page_text(Client(), article)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "&lt;i&gt;Eve&lt;/i&gt;" in html
    assert '<a href="https://example.org/page" rel="nofollow ugc">https://example.org/page</a>.' in html


@pytest.mark.parametrize("which", ["missing", "pending", "other-article", "garbage", "superscript", "arabic"])
def test_reply_to_an_unavailable_comment_is_refused_clearly(post, which):
    article = make_article()
    target = {
        "missing": "424242",
        "pending": lambda: str(make_comment(article, status="pending").pk),
        "other-article": lambda: str(make_comment(make_article()).pk),
        "garbage": "12; DROP TABLE",
        "superscript": "²",  # str.isdigit() says yes, int() says no
        "arabic": "٣",  # int() reads it as 3
    }[which]
    parent = target() if callable(target) else target
    before = Comment.objects.count()
    response = post(article, comment="My reply that must not be lost.", parent=parent)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not available" in html and "My reply that must not be lost." in html
    assert Comment.objects.count() == before


def test_comments_on_closed_unpublished_or_missing_stories_are_refused(client, post):
    closed = make_article(comments_open=False)
    html = page_text(client, closed)
    assert "Comments are closed on this story." in html and "Leave a Reply" not in html
    response = post(closed, comment="Closed door remark.")
    assert response.status_code == 200
    assert "Comments are closed on this story." in response.content.decode()
    assert "Closed door remark." in response.content.decode()
    draft = make_article(status="draft")
    response = post(draft)
    assert response.status_code == 404 and "not available" in response.content.decode()
    response = client.post("/comments/post/99999/", form_data())
    assert response.status_code == 404
    assert client.get("/comments/post/1/").status_code == 405
    assert Comment.objects.count() == 0


def test_old_stories_close_when_the_setting_says_so(client, post):
    old = make_article(publish_at=timezone.now() - datetime.timedelta(days=40))
    assert "Leave a Reply" in page_text(client, old)
    save_rules(close_after_days=30)
    assert "Comments are closed" in page_text(client, old)
    post(old)
    assert Comment.objects.count() == 0
    fresh = make_article()
    assert "Leave a Reply" in page_text(client, fresh)


def test_double_click_stores_one_comment_and_says_so(post):
    article = make_article()
    first = post(article, comment="Clicked twice by accident.")
    second = post(article, comment="Clicked  twice by ACCIDENT.")
    assert first.status_code == 302
    assert second.status_code == 200
    assert "You have already posted this comment" in second.content.decode()
    assert Comment.objects.count() == 1


def test_honeypot_and_too_fast_forms_are_refused(post):
    import time

    from broadsheet.core.antispam import make_stamp

    article = make_article()
    response = post(article, website_url_confirm="http://spam.example")
    assert "looks automated" in response.content.decode()
    response = post(article, form_stamp=make_stamp(time.time()))
    assert "faster than a person" in response.content.decode()
    response = post(article, form_stamp="forged")
    assert "could not be checked" in response.content.decode()
    response = post(article, form_stamp=None)
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_refused_form_gets_a_fresh_stamp_and_keeps_everything(post):
    article = make_article()
    parent = make_comment(article)
    response = post(article, comment="Keep me", author="", url="https://mine.example")
    html = response.content.decode()
    # The page is shown at the form's address; its links still lead to the article.
    assert f'href="{article.get_absolute_url()}?replytocom={parent.pk}#respond"' in html
    assert "Keep me" in html and 'value="https://mine.example"' in html and 'value="mira@example.net"' in html
    assert 'name="form_stamp" value=""' not in html


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_a_post_another_site_made_the_browser_send_is_refused(headers):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/comments/post/{article.pk}/", form_data(), **headers)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "http://testserver"}, {}],
)
def test_form_works_without_a_token_from_this_site(headers):
    save_rules(auto_approve_known=False)
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = client.post(f"/comments/post/{article.pk}/", form_data(), **headers)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_stamp_works_once_and_a_reshown_form_gets_a_fresh_one(client, post):
    import re
    import time

    from broadsheet.core.antispam import make_stamp

    save_rules(auto_approve_known=False)
    article = make_article()
    stamp = make_stamp(time.time() - 10)
    assert post(article, form_stamp=stamp).status_code == 302
    again = post(article, comment="The same stamp a second time.", form_stamp=stamp)
    assert again.status_code == 200 and "already sent once" in again.content.decode()
    fresh = re.search(r'name="form_stamp" value="([^"]+)"', again.content.decode()).group(1)
    # The re-shown form's stamp is of this moment, not dated back: sent at once, it is too fast.
    third = post(article, comment="Sent straight back.", form_stamp=fresh)
    assert "faster than a person" in third.content.decode()
    assert Comment.objects.count() == 1


def test_without_javascript_the_first_send_asks_to_send_again():
    save_rules(auto_approve_known=False)
    article = make_article()
    response = Client().post(f"/comments/post/{article.pk}/", form_data(form_stamp=None))
    html = response.content.decode()
    assert response.status_code == 200 and "send it again" in html
    assert "A thoughtful remark about the harbour plan." in html  # their words are kept
    assert Comment.objects.count() == 0


def test_wrong_types_never_give_a_server_error(client):
    article = make_article()
    for data in (
        {"comment": ["a", "b"], "author": ["x"], "email": ["a@b.c", "d@e.f"]},
        {"parent": "1e9"},
        {"parent": "9" * 40},
        {"notify": "maybe", "remember": "perhaps"},
        {},
    ):
        response = client.post(f"/comments/post/{article.pk}/", data)
        assert response.status_code in (200, 302)
    response = client.post(f"/comments/post/{article.pk}/", form_data(parent="9" * 40))
    assert response.status_code == 200


def test_listing_counts_follow_every_change_of_a_comment(client, editor):
    from broadsheet.comments import services
    from broadsheet.comments.services import annotate_comment_counts

    article = make_article()

    def shown():
        return annotate_comment_counts([article])[0].comment_count

    first = make_comment(article, status="pending")
    assert shown() == 0
    services.approve(first)
    second = make_comment(article)
    assert shown() == 2
    services.mark_spam(first)
    assert shown() == 1
    services.edit(second, body="Edited words.")
    assert shown() == 1
    second.delete()
    assert shown() == 0
    make_comment(article)
    article.delete()
    assert Comment.objects.count() == 0


def test_avatars_are_drawn_locally_from_the_name(client):
    article = make_article()
    make_comment(article, author_name="Jonas van Dijk", author_email="jonas@example.org")
    html = page_text(client, article)
    section = html[html.index('id="comments"') :]
    assert '<span class="avatar avatar-' in section and ">JD</span>" in section
    assert "<img" not in section and "gravatar" not in section.lower()


def test_approval_and_edits_tell_listeners_after_commit(django_capture_on_commit_callbacks):
    from broadsheet.comments import services
    from broadsheet.comments.signals import comments_changed

    heard = []

    def listener(sender, article_id, **kwargs):
        heard.append(article_id)

    def broken(sender, **kwargs):
        raise RuntimeError("a cache that is down")

    comments_changed.connect(listener)
    comments_changed.connect(broken)
    try:
        article = make_article()
        comment = make_comment(article, status="pending")
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(comment)
            services.edit(comment, body="New words.")
        assert heard == [article.pk, article.pk]
    finally:
        comments_changed.disconnect(listener)
        comments_changed.disconnect(broken)


def test_a_story_with_a_few_comments_reads_them_with_its_tally_in_one_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    save_rules()
    article = make_article()
    first = make_comment(article)
    make_comment(article, parent=first)
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()
    comment_queries = [
        q["sql"] for q in queries if '"comments_comment"' in q["sql"] or "commenttally" in q["sql"]
    ]
    assert len(comment_queries) == 1
    assert "2 replies to" in html and f'id="comment-{first.pk}"' in html


def test_a_long_discussion_counts_every_approved_comment_from_the_tally(client):
    save_rules(per_page=2)
    article = make_article()
    for _ in range(3):
        make_comment(article, parent=make_comment(article))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "6 replies to" in html
    assert "Page 1 of 2" in html
    assert "Page 2 of 2" in client.get(article.get_absolute_url() + "?cpage=2").content.decode()


def test_a_discussion_of_a_few_pages_is_read_whole_and_paged_as_the_database_would(client, monkeypatch):
    """Up to READ_AT_ONCE pages of approved comments are read in one query and paged in
    Python; longer ones are paged by the database. Both give the same threads on every page,
    oldest or newest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.comments import services

    article = make_article()
    for n in range(7):
        root = make_comment(article, body=f"Thread {n} opens here.")
        if n % 2:
            make_comment(article, parent=make_comment(article, parent=root, body=f"Reply to {n}."))
    make_comment(article, status="pending", body="Held, never shown.")
    make_comment(article, status="spam", body="Spam, never shown.")

    def pages(newest_first):
        rules = save_rules(per_page=4, newest_first=newest_first)
        shown = []
        for number in (1, 2, 3, "x"):
            page, count = services.story_discussion(article, page_number=number, rules=rules)
            shown.append(
                (
                    count,
                    page.number,
                    [(c.pk, [(r.pk, [g.pk for g in r.children]) for r in c.children]) for c in page],
                )
            )
        return shown

    for newest_first in (False, True):
        with CaptureQueriesContext(connection) as whole:
            read_whole = pages(newest_first)
        monkeypatch.setattr(services, "READ_AT_ONCE", 0)
        paged_by_database = pages(newest_first)
        monkeypatch.undo()
        assert read_whole == paged_by_database
        # 13 approved comments, 7 threads, 4 a page: page 3 and "x" are the last and the first.
        assert [(count, number, len(threads)) for count, number, threads in read_whole] == [
            (13, 1, 4),
            (13, 2, 3),
            (13, 2, 3),
            (13, 1, 4),
        ]
        comment_queries = [q for q in whole.captured_queries if '"comments_comment"' in q["sql"]]
        assert len(comment_queries) == 2 * 4  # a page's worth with the tally, then all of them


def test_the_thread_under_a_story_reads_no_private_field(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    save_rules(per_page=2)
    article = make_article()
    for _ in range(4):
        make_comment(article, parent=make_comment(article))
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    comment_sql = [q["sql"] for q in queries if '"comments_comment"' in q["sql"]]
    assert comment_sql
    assert not any(
        field in sql for sql in comment_sql for field in ("author_email", "ip_address", "user_agent")
    )
