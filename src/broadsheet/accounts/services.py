"""Sign-in rules: throttling by username and by network address, unlocking, and the second
factor (enrolment, codes, recovery codes)."""

import hashlib
import secrets

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from broadsheet.core.text import clean_text

from . import conf, totp
from .models import Lockout, LoginAttempt, RecoveryCode, TwoFactorDevice

# --- Throttling -----------------------------------------------------------------------------


def normalise_username(username):
    """The key failures are counted under: "Editor " and "editor" are the same account."""
    return clean_text(str(username or "")).strip().lower()[:150]


def active_lockout(*, username, ip_address, now=None):
    """The lockout refusing this username or address now (the one ending last), or None."""
    return (
        Lockout.objects.active(now)
        .for_key(username=normalise_username(username), ip_address=ip_address)
        .order_by("-locked_until")
        .first()
    )


def _counting_from(*, now, scope, key, extra=None):
    """Failures count from the latest of: the window's start, the last lockout of this key
    (so an expired or lifted lock starts a fresh count), and `extra`."""
    starts = [now - conf.FAILURE_WINDOW]
    last_lock = Lockout.objects.filter(scope=scope, key=key).aggregate(at=Max("locked_at"))["at"]
    starts += [t for t in (last_lock, extra) if t is not None]
    return max(starts)


def _failures(*, now, username=None, ip_address=None):
    if username is not None:
        last_success = LoginAttempt.objects.filter(username=username, succeeded=True).aggregate(at=Max("at"))[
            "at"
        ]
        since = _counting_from(now=now, scope=Lockout.Scope.USERNAME, key=username, extra=last_success)
        return LoginAttempt.objects.filter(username=username, succeeded=False, at__gt=since).count()
    since = _counting_from(now=now, scope=Lockout.Scope.IP, key=ip_address)
    return LoginAttempt.objects.filter(ip_address=ip_address, succeeded=False, at__gt=since).count()


@transaction.atomic
def record_failure(*, username, ip_address, step="password", now=None):
    """Note a failed try; return the Lockout it caused, if this failure was one too many."""
    now = now or timezone.now()
    username = normalise_username(username)
    LoginAttempt.objects.create(username=username, ip_address=ip_address, at=now, step=step)
    lockout = None
    checks = [(Lockout.Scope.IP, ip_address, conf.IP_FAILURE_LIMIT)]
    if username:
        checks.insert(0, (Lockout.Scope.USERNAME, username, conf.USERNAME_FAILURE_LIMIT))
    for scope, key, limit in checks:
        if scope == Lockout.Scope.USERNAME:
            count = _failures(now=now, username=key)
        else:
            count = _failures(now=now, ip_address=key)
        if count >= limit:
            lockout = Lockout.objects.create(
                scope=scope, key=key, failures=count, locked_at=now, locked_until=now + conf.LOCKOUT_DURATION
            )
    return lockout


def record_success(*, username, ip_address, now=None):
    """A completed sign-in: kept for the record, and the username's failure count starts again.
    Attempts past the retention period are dropped here, so the table stays small unattended."""
    now = now or timezone.now()
    LoginAttempt.objects.create(
        username=normalise_username(username), ip_address=ip_address, at=now, succeeded=True, step="complete"
    )
    prune_attempts(now)


def unlock(*, username=None, ip_address=None, by="", now=None):
    """Lift the active lockouts of a username and/or an address; return how many were lifted."""
    now = now or timezone.now()
    username = normalise_username(username) if username else None
    if not username and not ip_address:
        return 0
    return (
        Lockout.objects.active(now)
        .for_key(username=username, ip_address=ip_address)
        .update(unlocked_at=now, unlocked_by=str(by)[:150])
    )


def unlock_lockouts(lockouts, *, by="", now=None):
    return lockouts.filter(unlocked_at__isnull=True).update(
        unlocked_at=now or timezone.now(), unlocked_by=str(by)[:150]
    )


def lockout_message(lockout, now=None):
    """What a locked-out person reads: why, until when, and how to get in sooner."""
    now = now or timezone.now()
    until = timezone.localtime(lockout.locked_until)
    minutes = max(1, round((lockout.locked_until - now).total_seconds() / 60))
    what = "this account" if lockout.scope == Lockout.Scope.USERNAME else "your network address"
    return (
        f"Too many failed sign-ins for {what}: signing in is paused until "
        f"{date_format(until, 'H:i')} {until.tzname()} (about {minutes} minute{'s' if minutes != 1 else ''}). "
        "Try again then, or ask an editor to unlock it sooner."
    )


def prune_attempts(now=None):
    """Drop attempts older than the retention period (lockouts stay as the record)."""
    cutoff = (now or timezone.now()) - conf.ATTEMPT_RETENTION
    return LoginAttempt.objects.filter(at__lt=cutoff).delete()[0]


# --- Second factor --------------------------------------------------------------------------


def has_second_factor(user):
    return (
        bool(getattr(user, "pk", None))
        and TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    )


def start_enrolment(user):
    """The device being set up for `user` (its key stays the same until confirmed or removed)."""
    device, _ = TwoFactorDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
    return device


def provisioning_uri(device):
    return totp.provisioning_uri(device.secret, account=device.user.get_username(), issuer=conf.TOTP_ISSUER)


def _accept_code(device, code, now=None):
    """True when `code` is the device's current code and was not used before (no replays)."""
    at = (now or timezone.now()).timestamp()
    step = totp.matching_step(device.secret, code, at=at)
    if step is None:
        return False
    # Claim the step with a conditional update so two processes cannot both accept one code.
    claimed = (
        TwoFactorDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    if claimed:
        device.last_used_step = step
    return bool(claimed)


@transaction.atomic
def confirm_enrolment(device, code, now=None):
    """Turn the second factor on once the app shows a matching code; return the recovery codes
    (plain text, shown once) or None when the code was wrong."""
    if device.is_confirmed or not _accept_code(device, code, now):
        return None
    device.confirmed_at = now or timezone.now()
    device.save(update_fields=["confirmed_at"])
    return new_recovery_codes(device.user)


def _hash_code(code):
    cleaned = "".join(ch for ch in str(code or "").lower() if ch.isalnum())
    return hashlib.sha256(cleaned.encode("utf-8")).hexdigest()


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones; return them in plain text."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(conf.RECOVERY_CODE_COUNT)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash_code(c)) for c in codes)
    return codes


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_second_factor(user, code, now=None):
    """True when `code` is a fresh TOTP code of the user's device or one of their unused
    recovery codes (which is then spent)."""
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    code = clean_text(str(code or ""))[:64]
    if _accept_code(device, code, now):
        return True
    spent = RecoveryCode.objects.filter(user=user, code_hash=_hash_code(code), used_at__isnull=True).update(
        used_at=now or timezone.now()
    )
    return bool(spent)


def turn_off_second_factor(user):
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
