"""Comment emails: editors told of held comments, authors of new ones, commenters of replies.

Each is a background task queued after the comment is committed; a failure to queue or send
never takes a reader's request down with it.
"""

from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from . import conf

UNSUBSCRIBE_SALT = "comments.unsubscribe"


def unsubscribe_token(comment):
    """A signed, dated token naming the comment; it stops working after UNSUBSCRIBE_MAX_AGE."""
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(str(comment.pk))


def comment_from_unsubscribe_token(token):
    """The comment an unsubscribe token names, or None when it is forged, expired or gone."""
    from .models import Comment

    try:
        pk = int(
            signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign(token, max_age=conf.UNSUBSCRIBE_MAX_AGE)
        )
    except (signing.BadSignature, ValueError):  # SignatureExpired is a BadSignature
        return None
    return Comment.objects.filter(pk=pk).select_related("article").first()


def unsubscribe_url(comment):
    return conf.site_url() + reverse("comments:unsubscribe", args=[unsubscribe_token(comment)])


def _send(subject, template, context, to, headers=None):
    to = [address for address in to if address]
    if not to:
        return 0
    context = {"site_name": conf.site_name(), "site_url": conf.site_url(), **context}
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject.replace("\n", " ")[:200], body=body, to=to, headers=headers or {})
    return message.send(fail_silently=False)


@task()
def tell_editors_of_held_comment(comment_id):
    from .models import Comment, ModerationSettings

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.is_pending() or not ModerationSettings.load().notify_editors:
        return 0
    queue_url = conf.site_url() + reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    return _send(
        f"[{conf.site_name()}] Comment awaiting moderation on “{comment.article.headline}”",
        "comments/email/held.txt",
        {
            "comment": comment,
            "queue_url": queue_url,
            "article_url": conf.site_url() + comment.article.get_absolute_url(),
        },
        conf.editor_emails(),
    )


@task()
def announce_approved_comment(comment_id):
    """A comment became visible: tell the story's authors and, if they asked, the parent's author."""
    from .models import Comment, ModerationSettings

    comment = Comment.objects.select_related("article", "parent").filter(pk=comment_id).first()
    if comment is None or not comment.is_approved() or comment.announced:
        return 0
    # Claim the announcement first so two workers never send it twice.
    if not Comment.objects.filter(pk=comment.pk, announced=False).update(announced=True):
        return 0
    sent = 0
    permalink = conf.site_url() + comment.get_absolute_url()
    if ModerationSettings.load().notify_authors:
        authors = comment.article.authors.filter(user__isnull=False).select_related("user")
        emails = sorted(
            {a.user.email for a in authors if a.user.email and a.user.email.lower() != comment.author_email}
        )
        if emails:
            sent += _send(
                f"[{conf.site_name()}] New comment on “{comment.article.headline}”",
                "comments/email/new_comment.txt",
                {"comment": comment, "permalink": permalink},
                emails,
            )
    parent = comment.parent
    if (
        parent
        and parent.notify_replies
        and parent.author_email
        and parent.author_email != comment.author_email
    ):
        link = unsubscribe_url(parent)
        sent += _send(
            f"[{conf.site_name()}] {comment.author_name} replied to your comment",
            "comments/email/reply.txt",
            {"comment": comment, "parent": parent, "permalink": permalink, "unsubscribe_url": link},
            [parent.author_email],
            headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    return sent
