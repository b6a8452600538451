"""The site's 404 handler, redirect-aware: an old address answers 301 before any 404 page is
rendered; every other 404 is the site's own page."""

from broadsheet.core.views import page_not_found as site_page_not_found

from .middleware import RedirectFallbackMiddleware


def page_not_found(request, exception=None):
    if request.method in ("GET", "HEAD"):
        request.redirect_checked = True
        answer = RedirectFallbackMiddleware.redirect_for(request, request.META.get("QUERY_STRING", ""))
        if answer is not None:
            return answer
    return site_page_not_found(request, exception)
