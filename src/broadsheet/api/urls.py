from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("articles", views.articles, name="articles"),
    path("articles/<str:pk>", views.article, name="article"),
    path("articles/<str:pk>/comments", views.article_comments, name="article-comments"),
    path("sections", views.sections, name="sections"),
    path("tags", views.tags, name="tags"),
    path("sources", views.sources, name="sources"),
    path("authors", views.authors, name="authors"),
    path("export/articles.jsonl", views.export_articles, name="export-articles"),
    # Anything else under /api/, a newline in the path included ("." stops at one): a JSON 404.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
