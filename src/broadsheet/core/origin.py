"""Cross-site request forgery defence without a per-page token, as Go's
http.CrossOriginProtection does it: browsers say where a request comes from.

- `Sec-Fetch-Site` (every current browser): only `same-origin` or `none` (typed, bookmarked)
  may post;
- else `Origin` (older browsers): it must name this site (or a CSRF_TRUSTED_ORIGINS entry);
- neither header: not a browser's cross-site request (curl, a server), so it is allowed; the
  form's stamp and honeypot still apply.

A page that needs no token is the same for every reader, so a shared cache may keep it.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def is_cross_origin(request):
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    parts = urlsplit(origin)
    return not parts.netloc or parts.netloc.lower() != request.get_host().lower()


def cross_origin_protected(view):
    """Refuse (403) a state-changing request another site's page made the browser send."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS") and is_cross_origin(request):
            return render(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
