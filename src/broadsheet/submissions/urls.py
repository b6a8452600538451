from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("state/", views.form_state, name="form-state"),
    path("deleted/", views.deleted, name="deleted"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/thanks/", views.thanks, name="thanks"),
    path("status/<str:token>/edit/", views.edit, name="edit"),
    path("status/<str:token>/delete/", views.delete, name="delete"),
]
