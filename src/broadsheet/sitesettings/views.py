"""The logo and favicon SVGs, served with a policy that forbids scripts even if one slipped in."""

from django.http import Http404, HttpResponse

from .models import SiteSettings


def _svg(field):
    def view(request):
        markup = SiteSettings.objects.filter(pk=1).values_list(field, flat=True).first()
        if not markup:
            raise Http404("No such picture.")
        response = HttpResponse(markup, content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        # The URL carries a version of the content, so it can be kept for long.
        response["Cache-Control"] = "public, max-age=86400, s-maxage=86400"
        return response

    return view


logo = _svg("logo_svg")
favicon = _svg("favicon_svg")


def theme(request):
    from . import services

    response = HttpResponse(services.current(request).theme_css(), content_type="text/css")
    response["Cache-Control"] = "public, max-age=86400, s-maxage=86400"
    return response
