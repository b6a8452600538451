from django.urls import path

from . import views

app_name = "newsroom"

urlpatterns = [
    path("", views.home, name="home"),
    path("story/<str:slug>/", views.article_detail, name="article"),  # WordPress slugs may be Unicode
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("embed/", views.embed_player, name="embed"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("source/<slug:slug>/", views.source_detail, name="source"),
    path("archive/<int:year>/", views.archive, name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive-month"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.archive, name="archive-day"),
]
