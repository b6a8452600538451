from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [path("<str:slug>/", views.page_detail, name="page")]
