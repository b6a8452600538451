from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "broadsheet.accounts"
    label = "accounts"
    verbose_name = "Editors' accounts"

    def ready(self):
        from django.contrib import admin
        from django.urls import reverse

        from broadsheet.core import hooks
        from broadsheet.newsroom import slots

        from .models import Lockout, TwoFactorDevice
        from .site import BroadsheetAdminSite

        # The default admin site keeps its registry and URLs; only sign-in and the permission
        # check change (the pattern django-otp and django-two-factor-auth use).
        admin.site.__class__ = BroadsheetAdminSite

        def sign_in_panel():
            return [
                {
                    "label": "Locked sign-ins",
                    "count": Lockout.objects.active().count(),
                    "url": reverse("admin:accounts_lockout_changelist") + "?active=yes",
                },
                {
                    "label": "Staff with two-factor sign-in (set up yours)",
                    "count": TwoFactorDevice.objects.filter(confirmed_at__isnull=False).count(),
                    "url": reverse("accounts:two_factor"),
                },
            ]

        hooks.register(slots.DASHBOARD_PANEL, sign_in_panel, order=90, name="accounts")
