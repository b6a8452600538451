"""The media library's addresses; broadsheet.desk mounts them under /desk/media/ (staff only)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "media"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", staff(views.library), name="library"),
    path("pictures.json", staff(views.pictures), name="pictures"),
    path("upload/", staff(views.upload), name="upload"),
    path("pictures/<int:pk>/", staff(views.edit), name="edit"),
]
