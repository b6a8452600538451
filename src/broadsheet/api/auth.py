"""Who is asking, for the API's staff-only endpoints: `Authorization: Bearer <token>`."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from .http import ApiError
from .models import AccessToken, token_digest


class Unauthorized(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def staff_user(request: HttpRequest) -> Any:
    """The active staff member whose token the request carries; Unauthorized (401) or a 403
    ApiError otherwise. A signed-in staff member's session is enough too (the back office's link)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active and user.is_staff:
            return user
        raise Unauthorized("This endpoint is for staff: send `Authorization: Bearer <token>` (make one in the back office).")
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() not in ("bearer", "token") or not raw or len(raw) > 200:
        raise Unauthorized("The Authorization header must be `Bearer <token>`.")
    token = AccessToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None:
        raise Unauthorized("This token is not known (it may have been revoked).")
    if not (token.user.is_active and token.user.is_staff):
        raise ApiError(403, "This token's owner is no longer staff.")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
