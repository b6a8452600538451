from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("<int:article_id>/updates.json", views.poll, name="poll"),
    path("<int:article_id>/older/", views.older, name="older"),
    path("update/<int:pk>/", views.update_page, name="update"),
]
