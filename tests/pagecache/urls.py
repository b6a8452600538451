"""The site's URLs plus three small pages the page-cache tests need (a form, a cookie, no-cache)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.cache import never_cache


def form_page(request):
    token = get_token(request)
    html = (
        "<!doctype html><title>Form</title><p>" + "Words for the compressor. " * 60 + "</p>"
        f'<form method="post" action="/test-pagecache/submit/">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f'<input type="hidden" name="again" value="{get_token(request)}">'
        "<button>Send</button></form><p>" + "More words after the form. " * 40 + "</p>"
    )
    return HttpResponse(html)


def submit(request):
    return HttpResponse("accepted" if request.method == "POST" else "send a form")


def cookie_page(request):
    response = HttpResponse("<p>has a cookie of its own</p>")
    response.set_cookie("visited", "yes")
    return response


@never_cache
def private_page(request):
    return HttpResponse("<p>never stored</p>")


urlpatterns = [
    path("test-pagecache/form/", form_page),
    path("test-pagecache/submit/", submit),
    path("test-pagecache/cookie/", cookie_page),
    path("test-pagecache/private/", private_page),
    path("", include("broadsheet.urls")),
]
