"""The desk's addresses, under /desk/. Every view is staff only (the admin site's check)."""

from django.contrib import admin
from django.urls import include, path

from . import views

app_name = "desk"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", staff(views.dashboard), name="dashboard"),
    path("stories/new/", staff(views.new_story), name="new"),
    path("stories/<int:pk>/", staff(views.story), name="story"),
    path("stories/<int:pk>/save/", staff(views.save), name="save"),
    path("stories/<int:pk>/presence/", staff(views.presence), name="presence"),
    path("tags/", staff(views.tags), name="tags"),
    path("media/", include("broadsheet.media.urls", namespace="media")),
]
