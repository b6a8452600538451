"""Pages of two-factor sign-in: the code step after the password, and setting it up or off."""

import segno
from django.contrib import admin, messages
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from broadsheet.core.antispam import client_ip

from . import services
from .forms import CodeForm, SecondStepForm
from .models import TwoFactorDevice
from .site import PENDING_KEY, VERIFIED_KEY, pending_second_step

NEW_CODES_KEY = "accounts_new_recovery_codes"


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify(request):
    """The second sign-in step: a code from the app (or a recovery code) after the password."""
    pending = pending_second_step(request)
    if pending is None:
        messages.info(request, "Please sign in again: the code step was not started or took too long.")
        return redirect("admin:login")
    user, state = pending
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip_address = client_ip(request)
        attempt, refusal = services.begin_attempt(
            username=user.get_username(), ip_address=ip_address, step="code"
        )
        if attempt and services.verify_second_factor(user, form.cleaned_data["code"]):
            services.finish_attempt(attempt, succeeded=True)
            request.session.pop(PENDING_KEY, None)
            user.backend = state.get("backend") or "django.contrib.auth.backends.ModelBackend"
            auth_login(request, user)
            request.session[VERIFIED_KEY] = user.pk
            next_url = state.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = "admin:index"
            return redirect(next_url)
        if attempt:
            refusal = services.finish_attempt(attempt, succeeded=False)
        if refusal is not None:
            request.session.pop(PENDING_KEY, None)
            form.add_error(None, services.refusal_message(refusal))
        else:
            form.add_error(
                "code", "That code is not right. Check the time on your phone and try the newest code."
            )
    return render(
        request,
        "accounts/verify.html",
        _context(request, form=form, title="Sign-in code", signing_in_as=user.get_username()),
    )


def overview(request):
    device = TwoFactorDevice.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/overview.html",
        _context(
            request,
            title="Two-factor sign-in",
            device=device if device and device.is_confirmed else None,
            codes_left=services.recovery_codes_left(request.user) if device else 0,
            form=CodeForm(),
        ),
    )


def _qr_svg(uri):
    # Drawn here as inline SVG: the key never leaves this server for a third-party QR service.
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title="QR code for your authenticator app", svgclass="totp-qr"
    )
    return mark_safe(svg)  # noqa: S308 - built by segno from our own URI, no user markup


@sensitive_post_parameters("code")
def enrol(request):
    if services.has_second_factor(request.user):
        return redirect("accounts:two_factor")
    device = services.start_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(device, form.cleaned_data["code"])
        if codes:
            request.session[VERIFIED_KEY] = request.user.pk
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, "Two-factor sign-in is on. Keep your recovery codes somewhere safe.")
            return redirect("accounts:recovery_codes")
        form.add_error(
            "code", "That code does not match. Check the key was typed in full and try the newest code."
        )
    uri = services.provisioning_uri(device)
    secret_groups = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return render(
        request,
        "accounts/enrol.html",
        _context(
            request,
            title="Set up two-factor sign-in",
            form=form,
            secret=secret_groups,
            uri=uri,
            qr_svg=_qr_svg(uri),
        ),
    )


def recovery_codes(request):
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        messages.info(request, "Recovery codes are shown only once. Make new ones if you lost them.")
        return redirect("accounts:two_factor")
    return render(
        request, "accounts/recovery_codes.html", _context(request, title="Recovery codes", codes=codes)
    )


@require_POST
@sensitive_post_parameters("code")
def new_recovery_codes(request):
    form = CodeForm(request.POST)
    if form.is_valid() and services.verify_second_factor(request.user, form.cleaned_data["code"]):
        request.session[NEW_CODES_KEY] = services.new_recovery_codes(request.user)
        messages.success(request, "New recovery codes made; the old ones no longer work.")
        return redirect("accounts:recovery_codes")
    messages.error(request, "That code is not right, so nothing changed.")
    return redirect("accounts:two_factor")


@require_POST
@sensitive_post_parameters("code")
def turn_off(request):
    form = CodeForm(request.POST)
    if form.is_valid() and services.verify_second_factor(request.user, form.cleaned_data["code"]):
        services.turn_off_second_factor(request.user)
        messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
    else:
        messages.error(request, "That code is not right, so two-factor sign-in stays on.")
    return redirect("accounts:two_factor")
