"""The back office's sign-in in two steps: password (throttled), then a code for staff who turned
two-factor sign-in on. Installed on Django's default admin site by AccountsConfig.ready()."""

import time

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from . import conf, services
from .forms import ThrottledAdminLoginForm

PENDING_KEY = "accounts_second_step"
VERIFIED_KEY = "accounts_second_factor_user"


def begin_second_step(request, user, *, next_url):
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "at": time.time(),
        "next": next_url,
    }


def pending_second_step(request):
    """The (user, state) waiting for a code, or None when there is none or it is too old."""
    from django.contrib.auth import get_user_model

    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict) or time.time() - float(state.get("at", 0)) > conf.second_step_max_age():
        request.session.pop(PENDING_KEY, None)
        return None
    user = (
        get_user_model()._default_manager.filter(pk=state.get("user"), is_active=True, is_staff=True).first()
    )
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return user, state


def second_factor_satisfied(request):
    """False only for a signed-in user who has a second factor but did not give it this session."""
    cached = getattr(request, "_accounts_second_factor_ok", None)
    if cached is None:
        user = request.user
        cached = request.session.get(VERIFIED_KEY) == user.pk or not services.has_second_factor(user)
        request._accounts_second_factor_ok = cached
    return cached


class TwoStepLoginView(LoginView):
    def form_valid(self, form):
        user = form.get_user()
        if services.has_second_factor(user):
            begin_second_step(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:verify")
        return super().form_valid(form)


class BroadsheetAdminSite(admin.AdminSite):
    """Django's admin site with the two-step sign-in; everything else is unchanged."""

    login_form = ThrottledAdminLoginForm

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_satisfied(request)

    def login(self, request, extra_context=None):
        # Mirrors AdminSite.login, with the two-step view in place of Django's LoginView.
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return TwoStepLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)
