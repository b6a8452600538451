from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from .models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    fields = ("user", "name")
    autocomplete_fields = ("user",)
    search_fields = ("name", "prefix", "user__username")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        token, raw = AccessToken.issue(user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(
            request,
            f"The token for “{token.name}” is {raw} — copy it now: it is not shown again. "
            "Send it as `Authorization: Bearer <token>`.",
            messages.WARNING,
        )
