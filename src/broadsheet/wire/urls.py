from django.urls import path

from . import views

app_name = "wire"

urlpatterns = [
    path("wire/", views.desk, name="desk"),
    path("wire/item/<int:pk>/republish/", views.republish, name="republish"),
    path("wire/item/<int:pk>/ignore/", views.ignore, name="ignore"),
    path("wire/group/<int:pk>/write/", views.write_from_group, name="write"),
    path("wire/outlets/", views.outlet_names, name="outlets"),
    path("entity/<slug:slug>/", views.entity_detail, name="entity"),
]
