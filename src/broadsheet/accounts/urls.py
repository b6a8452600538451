from django.contrib import admin
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/", admin.site.admin_view(views.overview), name="two_factor"),
    path("2fa/enrol/", admin.site.admin_view(views.enrol), name="enrol"),
    path("2fa/recovery-codes/", admin.site.admin_view(views.recovery_codes), name="recovery_codes"),
    path(
        "2fa/recovery-codes/new/", admin.site.admin_view(views.new_recovery_codes), name="new_recovery_codes"
    ),
    path("2fa/off/", admin.site.admin_view(views.turn_off), name="turn_off"),
]
