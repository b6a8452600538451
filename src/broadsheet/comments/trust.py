"""Whether a new comment may skip the queue: only on something the commenter proves.

An email address typed in the form proves nothing: anyone can type a regular's address, or the
address staff replies are stored under. What does prove it:

- a signed cookie listing the comments this browser posted (set by the site when each was
  posted): when one of them, under the same email, has since been approved, this browser is
  that approved commenter;
- a signed-in staff session.
"""

from django.core import signing
from django.http import HttpRequest, HttpResponse

from . import conf
from .models import Comment, normalise_email

PROOF_SALT = "comments.proof"
KEPT = 20


def posted_here(request: HttpRequest) -> list[int]:
    """Ids of the comments this browser posted, from the signed proof cookie ([] if none or forged)."""
    raw = request.COOKIES.get(conf.proof_cookie())
    if not raw:
        return []
    try:
        ids = signing.loads(raw, salt=PROOF_SALT, max_age=conf.PROOF_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)][-KEPT:]


def remember_posted(response: HttpResponse, request: HttpRequest, comment: Comment) -> None:
    """Add `comment` to the browser's proof cookie (the redirect after a comment is posted)."""
    ids = [i for i in posted_here(request) if i != comment.pk] + [comment.pk]
    response.set_cookie(
        conf.proof_cookie(),
        signing.dumps(ids[-KEPT:], salt=PROOF_SALT, compress=True),
        max_age=conf.PROOF_MAX_AGE,
        path=conf.PROOF_COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def is_trusted(request: HttpRequest, email: str) -> bool:
    """True when the sender has shown they are an approved commenter writing as `email`."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    ids = posted_here(request)
    if not ids:
        return False
    return Comment.objects.approved().filter(pk__in=ids, author_email=normalise_email(email)).exists()
