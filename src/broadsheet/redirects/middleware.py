"""Redirects answer only where the site has nothing: on a 404 (see views.page_not_found), and for
WordPress's query addresses on the home page (/?p=123), which would otherwise show the home page.
An address of ours that answers is never looked up."""

from django.http import HttpResponsePermanentRedirect

from . import services

# WordPress's "ugly" addresses: the home page with one of these parameters.
_HOME_QUERY_KEYS = ("p=", "page_id=", "cat=", "tag=", "author=", "m=", "attachment_id=", "feed=", "year=")


class RedirectFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info == "/":
            query = request.META.get("QUERY_STRING", "")
            if query and query.startswith(_HOME_QUERY_KEYS):
                answer = self.redirect_for(request, query)
                if answer is not None:
                    return answer
        response = self.get_response(request)
        # The 404 handler (views.page_not_found) has usually looked already; this catches the
        # rest (DEBUG's technical 404, a view that answers 404 itself).
        if response.status_code == 404 and request.method in ("GET", "HEAD") and not getattr(
            request, "redirect_checked", False
        ):
            return self.redirect_for(request, request.META.get("QUERY_STRING", "")) or response
        return response

    @staticmethod
    def redirect_for(request, query):
        redirect = services.find(request.path_info, query)
        if redirect is None:
            return None
        services.record_hit(redirect)
        return HttpResponsePermanentRedirect(redirect.new_url)
