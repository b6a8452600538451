"""Comment pages: the form's target, permalinks, the unsubscribe link; and the block under articles."""

import logging
import time

from django.core import signing
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.core import surrogates
from broadsheet.core.antispam import client_ip, make_stamp
from broadsheet.core.origin import cross_origin_protected
from broadsheet.core.text import as_number
from broadsheet.newsroom import slots
from broadsheet.newsroom.views import article_queryset, render_article

from . import conf, moderation, services, trust
from .forms import CommentForm, ShownForm
from .models import Comment, ModerationSettings
from .notifications import comment_from_unsubscribe_token

log = logging.getLogger(__name__)
COMMENTER_SALT = "comments.commenter"
BUSY_MESSAGE = (
    "So many readers are commenting right now that yours could not be saved. "
    "Please send it again in a moment: your text is kept below."
)


def read_commenter(request):
    """Name, email and website saved by the reader's own choice, or {}."""
    raw = request.COOKIES.get(conf.commenter_cookie())
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=COMMENTER_SALT, max_age=conf.COOKIE_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data.get(k, ""))[:254] for k in ("author", "email", "url")}


def _is_busy(error):
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _post_with_retry(**kwargs):
    """SQLite queues writers with a busy timeout; if a write still times out, try again briefly."""
    for attempt in range(4):
        try:
            return services.post_comment(**kwargs)
        except OperationalError as error:
            if not _is_busy(error) or attempt == 3:
                raise
            log.warning("database busy while saving a comment, retrying (%s)", error)
            time.sleep(0.1 * (2**attempt))
    return None  # not reached


def comment_url(comment, rules=None):
    page = services.page_of(comment, rules)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


@cross_origin_protected
@require_POST
def post_comment(request, article_id):
    article = article_queryset().published().filter(pk=article_id).first()
    if article is None:
        return render(request, "comments/unavailable.html", status=404)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = _post_with_retry(
                article=article,
                body=data["comment"],
                name=data["author"],
                email=data["email"],
                url=data["url"],
                parent_id=data["parent"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                notify=data["notify"],
                trusted=trust.is_trusted(request, data["email"]),
            )
        except services.CommentRefused as refusal:
            if refusal.code == "bad_parent":
                form.data = form.data.copy()
                form.data["parent"] = ""
            form.add_error(refusal.field if refusal.field in ("comment",) else None, refusal.message)
        except OperationalError as error:
            if not _is_busy(error):
                raise
            form.add_error(None, BUSY_MESSAGE)
        else:
            return _posted(request, comment, remember=data["remember"])
    form.refresh_stamp()
    request._comment_form = form
    return render_article(request, article)


def _posted(request, comment, *, remember):
    if comment.status == Comment.Status.PENDING:
        # Story pages are the same for every reader, so a held comment is shown on a page of
        # its own (and, with JavaScript, under the story from the reader's cookie).
        response = HttpResponseRedirect(reverse("comments:held", args=[comment.pk]))
        services.remember_mine(response, request, conf.pending_cookie(), comment.pk, conf.PENDING_MAX_AGE)
    else:
        response = HttpResponseRedirect(comment_url(comment))
    trust.remember_posted(response, request, comment)
    if remember:
        value = signing.dumps(
            {"author": comment.author_name, "email": comment.author_email, "url": comment.author_url},
            salt=COMMENTER_SALT,
            compress=True,
        )
        response.set_cookie(
            conf.commenter_cookie(),
            value,
            max_age=conf.COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    elif conf.commenter_cookie() in request.COOKIES:
        response.delete_cookie(conf.commenter_cookie(), samesite="Lax")
    return response


@never_cache
def held(request, pk):
    """ "Your comment is awaiting moderation": the page a held comment's writer lands on."""
    comment = None
    if pk in services.read_mine(request, conf.pending_cookie()):
        comment = (
            Comment.objects.filter(pk=pk, status=Comment.Status.PENDING)
            .select_related("article")
            .defer(*services.PRIVATE_FIELDS)
            .first()
        )
    if comment is None or not comment.article.is_published():
        raise Http404("No comment of yours is waiting here.")
    comment.awaiting, comment.children, comment.can_reply = True, [], False
    response = render(request, "comments/held.html", {"comment": comment, "article": comment.article})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def form_state(request, article_id):
    """What the comment form under a story holds for this reader, fetched by comments.js: a
    stamp of this moment, their saved name, email and website, and their comments awaiting
    moderation on this story (HTML). Never cached: it is the only personal part of the page."""
    saved = read_commenter(request)
    mine = services.read_mine(request, conf.pending_cookie())
    waiting = []
    if mine:
        for comment in services.awaiting_moderation(article_id, mine):
            comment.awaiting, comment.children, comment.can_reply = True, [], False
            html = render_to_string("comments/_comment.html", {"comment": comment}, request)
            waiting.append({"id": comment.pk, "parent": comment.parent_id, "html": html})
    return JsonResponse(
        {
            "stamp": make_stamp(),
            "author": saved.get("author", ""),
            "email": saved.get("email", ""),
            "url": saved.get("url", ""),
            "remember": bool(saved),
            "awaiting": waiting,
        }
    )


def permalink(request, pk):
    comment = get_object_or_404(Comment.objects.approved().select_related("article", "thread"), pk=pk)
    if not comment.article.is_published():
        raise Http404("No such comment.")
    return HttpResponseRedirect(comment_url(comment))


@never_cache
@csrf_exempt  # the signed token is the proof; mail programs send RFC 8058 one-click POSTs
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners and prefetching mail clients follow links); POST acts, from the
    confirm button or as an RFC 8058 one-click POST ("List-Unsubscribe=One-Click")."""
    comment = comment_from_unsubscribe_token(token)
    if comment is None:
        return render(request, "comments/unsubscribe.html", {"ok": False}, status=404)
    done = request.method == "POST"
    if done:
        services.unsubscribe(comment)
    response = render(
        request, "comments/unsubscribe.html", {"ok": True, "done": done, "article": comment.article}
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the block under each article (registered in apps.py) --------------------------------------


def _page_number(request):
    return as_number(request.GET.get("cpage", "1"), max_digits=6) or 1


def article_block(request, article):
    """The discussion and the "Leave a Reply" form under `article`: (template, context).

    The thread is the same for every reader who has no comment awaiting moderation, so for
    them it may come from the fragment cache; the form (CSRF token, the reader's saved name)
    is rendered for each request.
    """
    rules = slots.cached_value(request, "comment-rules", "", ModerationSettings.load, site=True)
    sent = getattr(request, "_comment_form", None)
    replying_to = None
    if sent is None:
        # The same for every reader: the reader's saved details and a stamp come from
        # form_state (comments.js); without JavaScript the first send asks to send again.
        initial = {}
        wanted = request.GET.get("replytocom")
        if wanted:
            replying_to = services.reply_target(article, wanted, rules)
            if replying_to is not None and replying_to.depth >= rules.max_depth:
                replying_to = None
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        form = ShownForm.blank(initial)
    else:
        form = ShownForm.of(sent)
        if sent.data.get("parent"):
            replying_to = services.reply_target(article, sent.data.get("parent"), rules)
    closed_reason = moderation.closed_reason(article, rules)
    page_number = _page_number(request)

    def render_thread():
        page, count = services.story_discussion(article, page_number=page_number, rules=rules)
        data = {
            "article": article,
            "page": page,
            "threads": page.object_list,
            "count": count,
            "closed_reason": closed_reason,
        }
        return render_to_string("comments/_thread.html", {"data": data}, request)

    key = f"{article.pk}:{page_number}:{'closed' if closed_reason else 'open'}"
    thread_html = slots.cached_fragment(
        request, "comment-thread", key, render_thread, keys=[surrogates.story(article.pk)]
    )
    context = {
        "article": article,
        "thread_html": thread_html,
        "form": form,
        "closed_reason": closed_reason,
        "replying_to": replying_to,
        "max_length": conf.max_length(),
        "action": f"/comments/post/{article.pk}/",
        "state_url": reverse("comments:form-state", args=[article.pk]),
    }
    return "comments/_article_comments.html", context
