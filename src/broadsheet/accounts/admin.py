"""Back-office pages for sign-in security: attempts (read only), lockouts with an unlock action,
and each person's two-factor sign-in (removable when a phone is lost)."""

from django.contrib import admin, messages
from django.utils import timezone

from . import services
from .models import Lockout, LoginAttempt, TwoFactorDevice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip_address", "step", "succeeded"]
    list_filter = ["succeeded", "step"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"


class ActiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Locked now"), ("no", "Ended or lifted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.active()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.active().values("pk"))
        return queryset


@admin.register(Lockout)
class LockoutAdmin(ReadOnlyAdmin):
    list_display = ["key", "scope", "ip_address", "failures", "locked_at", "locked_until", "is_locked_now", "unlocked_by"]
    list_filter = [ActiveFilter, "scope"]
    search_fields = ["key", "ip_address"]
    actions = ["unlock_selected"]

    @admin.display(boolean=True, description="locked now")
    def is_locked_now(self, obj):
        return obj.is_active()

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_lockout")

    @admin.action(permissions=["unlock"], description="Unlock the selected sign-ins now")
    def unlock_selected(self, request, queryset):
        lifted = services.unlock_lockouts(
            queryset.filter(locked_until__gt=timezone.now()), by=request.user.get_username()
        )
        messages.success(
            request, f"{lifted} lockout{'s' if lifted != 1 else ''} lifted; they can sign in again."
        )


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(ReadOnlyAdmin):
    """Deleting a row turns that person's second factor off (and drops their recovery codes)."""

    list_display = ["user", "created_at", "confirmed_at"]
    search_fields = ["user__username"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.turn_off_second_factor(obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            services.turn_off_second_factor(device.user)
