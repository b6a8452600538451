"""Every moderation rule and spam defence, through the form and the service functions."""

import pytest
from django.test import Client

from broadsheet.comments import services, spam
from broadsheet.comments.models import Comment
from tests.conftest import make_article

from .conftest import make_comment, save_rules

pytestmark = pytest.mark.django_db


def approve_someone(post, email="known@example.org"):
    """Make the test client a known commenter as `email`: it posts a comment, an editor approves it."""
    post(make_article(), comment="An earlier comment, approved by an editor.", email=email)
    services.approve(Comment.objects.get(body__startswith="An earlier comment", author_email=email))


def test_manual_approval_holds_even_known_commenters(post):
    approve_someone(post, "mira@example.net")
    save_rules(manual_approval=True)
    post(make_article())
    comment = Comment.objects.get(body__startswith="A thoughtful")
    assert comment.status == "pending" and comment.held_reason == "Every comment waits for approval."


def test_comment_with_too_many_links_is_held(post):
    approve_someone(post, "mira@example.net")
    article = make_article()
    post(article, comment="One link is fine: https://a.example/x")
    assert Comment.objects.get(body__startswith="One link").status == "approved"
    post(article, comment="Two links: https://a.example/x and www.b.example")
    held = Comment.objects.get(body__startswith="Two links")
    assert held.status == "pending" and held.held_reason == "Has 2 links."
    save_rules(hold_link_count=0)
    post(article, comment="Rule off: https://a.example/ https://b.example/ https://c.example/")
    assert Comment.objects.get(body__startswith="Rule off").status == "approved"


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"comment": "Cheap WATCHES for all"}, "watches"),
        ({"author": "Watches Dealer"}, "watches"),
        ({"email": "watches@example.net"}, "watches"),
        ({"url": "https://watches.example"}, "watches"),
        ({}, "127.0.0"),
    ],
)
def test_moderation_list_holds_matches_in_every_field(post, fields, word):
    email = fields.get("email", "mira@example.net")
    approve_someone(post, email)
    save_rules(moderation_words=f"\n  {word.upper()}  \n")
    post(make_article(), **fields)
    comment = Comment.objects.get(held_reason__contains="moderation list")
    assert comment.status == "pending" and word in comment.held_reason


@pytest.mark.parametrize(
    "fields",
    [{"comment": "Visit the casino now"}, {"author": "Casino Bob"}, {"url": "https://casino.example"}, {}],
)
def test_disallowed_list_sends_to_spam(client, post, fields):
    save_rules(disallowed_words="casino\n127.0.0.1" if not fields else "casino")
    article = make_article()
    response = post(article, **fields)
    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert response.status_code == 302
    assert comment.body not in Client().get(article.get_absolute_url()).content.decode()


def test_flood_protection_refuses_quick_second_comment_with_a_clear_message(post, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = None
    article = make_article()
    assert post(article, comment="First.").status_code == 302
    response = post(article, comment="Second, too soon.", email="other@example.net")
    html = response.content.decode()
    assert "You are posting comments too quickly. Please wait 15 seconds" in html
    assert "Second, too soon." in html
    assert Comment.objects.count() == 1


def test_flood_protection_also_matches_the_same_email_from_another_ip(post, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = None
    article = make_article()
    post(article, comment="From home.")
    other = Client(REMOTE_ADDR="10.9.9.9")
    response = post(article, client=other, comment="From the office.")
    assert "too quickly" in response.content.decode()


def test_flood_protection_can_be_switched_off_in_the_back_office(post, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = None
    save_rules(flood_seconds=0)
    article = make_article()
    for n in range(3):
        assert post(article, comment=f"Quick remark {n}.").status_code == 302
    assert Comment.objects.count() == 3


def test_a_setting_overrides_the_flood_rule_for_stress_runs(post, settings):
    settings.BROADSHEET_COMMENTS_FLOOD_SECONDS = 0
    save_rules(flood_seconds=60)
    article = make_article()
    for n in range(3):
        post(article, comment=f"Bench remark {n}.")
    assert Comment.objects.count() == 3


def test_same_text_from_the_same_person_is_refused_politely_but_others_may_say_it(post):
    article = make_article()
    post(article, comment="Well said.")
    response = post(article, comment="Well said.")
    assert "You have already posted this comment on this story." in response.content.decode()
    assert post(article, comment="Well said.", email="someone.else@example.org").status_code == 302
    assert post(make_article(), comment="Well said.").status_code == 302
    assert Comment.objects.count() == 3


def test_per_article_switch_closes_and_reopens(client, post):
    article = make_article(comments_open=False)
    post(article)
    assert Comment.objects.count() == 0
    article.comments_open = True
    article.save()
    post(article)
    assert Comment.objects.count() == 1


# --- the local classifier -------------------------------------------------------------------------

SPAMMY = [
    "Buy cheap pills online now, best discount pharmacy offer",
    "Cheap pills discount, buy now from our online pharmacy",
    "Best casino bonus, win money now, cheap offer",
    "Win money fast with our casino bonus offer now",
    "Discount pharmacy pills cheap cheap buy online",
    "Online casino win bonus money cheap offer today",
]
GOOD = [
    "The harbour council should publish the full budget before the vote",
    "I walked past the new lighthouse yesterday and the restoration looks careful",
    "Thanks for explaining the tide tables, my grandfather used to fish there",
    "The school bus timetable change will hurt families on the east side",
    "Good reporting on the ferry strike, both sides were heard fairly",
    "Could the council explain why the library hours were cut this winter",
]


def teach(article):
    for n, text in enumerate(SPAMMY):
        services.mark_spam(
            make_comment(article, status="pending", body=text, author_email=f"s{n}@spam.example")
        )
    for n, text in enumerate(GOOD):
        services.approve(make_comment(article, status="pending", body=text, author_email=f"g{n}@example.org"))


def test_classifier_stays_quiet_until_it_has_learned_enough(db):
    assert spam.score(body="Buy cheap pills now") is None


def test_classifier_learns_from_editors_and_scores_new_comments(post):
    article = make_article()
    teach(article)
    assert spam.score(body="cheap pills casino bonus buy now") > 0.9
    assert spam.score(body="the council budget vote and the library hours") < 0.2
    post(article, comment="Buy cheap pills, casino bonus, win money now online")
    caught = Comment.objects.get(author_email="mira@example.net")
    assert caught.status == "spam" and "spam filter" in caught.held_reason
    assert caught.spam_score > 0.9


def test_changing_a_decision_unlearns_the_old_one(db):
    from broadsheet.comments.models import SpamWord

    article = make_article()
    comment = make_comment(article, status="pending", body="ferry timetable question")
    services.mark_spam(comment)
    assert SpamWord.objects.get(token="ferry").spam == 1
    services.mark_spam(comment)
    assert SpamWord.objects.get(token="ferry").spam == 1
    services.mark_not_spam(comment)
    word = SpamWord.objects.get(token="ferry")
    assert (word.spam, word.ham) == (0, 1)
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_doubtful_classifier_score_holds_a_known_commenter(post, settings):
    settings.BROADSHEET_COMMENTS_SPAM_THRESHOLD = 1.01
    approve_someone(post, "mira@example.net")
    article = make_article()
    teach(article)
    post(article, comment="cheap pills discount offer")
    comment = Comment.objects.get(author_email="mira@example.net", body__startswith="cheap")
    assert comment.status == "pending" and "unsure" in comment.held_reason
