from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("held/<int:pk>/", views.held, name="held"),
    path("state/<int:article_id>/", views.form_state, name="form-state"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("feed/<int:article_id>/", feeds.ArticleCommentsFeed(), name="article-feed"),
]
