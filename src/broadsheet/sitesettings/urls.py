from django.urls import path

from . import views

app_name = "sitesettings"

urlpatterns = [
    path("logo.svg", views.logo, name="logo"),
    path("favicon.svg", views.favicon, name="favicon"),
    path("theme.css", views.theme, name="theme"),
]
