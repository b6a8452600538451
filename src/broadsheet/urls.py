"""Top-level URLs: each app's own urls, the admin, health check. No views here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_media

from broadsheet.core.views import favicon, healthz

handler400 = "broadsheet.core.views.bad_request"
handler404 = "broadsheet.redirects.views.page_not_found"  # an old address redirects before any 404 page
handler500 = "broadsheet.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("broadsheet.accounts.urls")),
    path("admin/", admin.site.urls),
    path("desk/", include("broadsheet.desk.urls")),
    path("publish/", include("broadsheet.submissions.urls")),
    path("comments/", include("broadsheet.comments.urls")),
    path("search/", include("broadsheet.search.urls")),
    path("api/", include("broadsheet.api.urls")),
    path("page/", include("broadsheet.pages.urls")),
    path("subscribe/", include("broadsheet.newsletters.urls")),
    path("site/", include("broadsheet.sitesettings.urls")),
    path("readership/", include("broadsheet.readership.urls")),
    path("live/", include("broadsheet.live.urls")),
    path("", include("broadsheet.syndication.urls")),
    path("", include("broadsheet.wire.urls")),
    # Uploaded pictures: served by the app itself so one process is a whole site; put a
    # front-end server or object storage before it when traffic grows.
    re_path(r"^media/(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT}),
    path("", include("broadsheet.newsroom.urls")),
]
