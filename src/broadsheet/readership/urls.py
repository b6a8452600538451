from django.urls import path

from . import views

app_name = "readership"

urlpatterns = [path("read", views.beacon, name="beacon")]
