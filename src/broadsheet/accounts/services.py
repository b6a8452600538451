"""Sign-in rules: throttling by username and by network address, unlocking, and the second
factor (enrolment, codes, recovery codes)."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from broadsheet.core.text import clean_text

from . import conf, totp
from .models import Lockout, LoginAttempt, RecoveryCode, TwoFactorDevice

# Any fixed number: the PostgreSQL advisory lock that serialises counting sign-in tries.
SIGN_IN_LOCK = 0x5167_1E01

# --- Throttling -----------------------------------------------------------------------------
#
# Three limits, each about what an attacker controls:
# - an address that fails too often (any accounts) is locked;
# - an account that fails too often from one address is locked there, and only there;
# - an account failing from many addresses is slowed down (one try per growing delay), never
#   locked, so nobody can shut its owner out; staff with two-factor sign-in are not slowed
#   down at all, since a password alone does not let anyone in.
# Every try is counted before its password is checked, in one serialised step, so tries sent
# together cannot all pass the check before any of them is counted.


def normalise_username(username):
    """The key failures are counted under: "Editor " and "editor" are the same account."""
    return clean_text(str(username or "")).strip().lower()[:150]


@dataclass(frozen=True)
class Slowdown:
    """A refusal to try the password of an account under attack before `retry_at`."""

    retry_at: datetime.datetime


def active_lockout(*, username, ip_address, now=None):
    """The lockout refusing this username from this address now (the one ending last), or None."""
    return (
        Lockout.objects.active(now)
        .refusing(username=normalise_username(username), ip_address=ip_address)
        .order_by("-locked_until")
        .first()
    )


def _serialise_sign_ins():
    """Hold the sign-in lock until the transaction ends. SQLite's immediate transactions
    already hold its single write lock; PostgreSQL takes an advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SIGN_IN_LOCK])


def _counting_from(*, now, scope, key, ip_address="", extra=None):
    """Failures count from the latest of: the window's start, the last lockout of this key
    (so an expired or lifted lock starts a fresh count), and `extra`."""
    starts = [now - conf.failure_window()]
    last_lock = Lockout.objects.filter(scope=scope, key=key, ip_address=ip_address).aggregate(
        at=Max("locked_at")
    )["at"]
    starts += [t for t in (last_lock, extra) if t is not None]
    return max(starts)


def _last_sign_in(username):
    return LoginAttempt.objects.filter(username=username, succeeded=True, step="complete").aggregate(
        at=Max("at")
    )["at"]


def _failures(**filters):
    return LoginAttempt.objects.filter(succeeded=False, **filters)


def _has_second_factor_by_name(username):
    field = get_user_model().USERNAME_FIELD
    return TwoFactorDevice.objects.filter(
        confirmed_at__isnull=False, **{f"user__{field}__iexact": username}
    ).exists()


def _lock_if_over(*, username, ip_address, now):
    """Create the lockouts the counted failures call for; return the one that applies."""
    lockout = None
    if username:
        since = _counting_from(
            now=now,
            scope=Lockout.Scope.ACCOUNT_AT_ADDRESS,
            key=username,
            ip_address=ip_address,
            extra=_last_sign_in(username),
        )
        count = _failures(username=username, ip_address=ip_address, at__gt=since).count()
        if count >= conf.username_failure_limit():
            lockout = _lock(Lockout.Scope.ACCOUNT_AT_ADDRESS, username, ip_address, count, now)
    since = _counting_from(now=now, scope=Lockout.Scope.IP, key=ip_address)
    count = _failures(ip_address=ip_address, at__gt=since).count()
    if count >= conf.ip_failure_limit():
        lockout = _lock(Lockout.Scope.IP, ip_address, "", count, now)
    return lockout


def _lock(scope, key, ip_address, failures, now):
    existing = Lockout.objects.active(now).filter(scope=scope, key=key, ip_address=ip_address).first()
    return existing or Lockout.objects.create(
        scope=scope,
        key=key,
        ip_address=ip_address,
        failures=failures,
        locked_at=now,
        locked_until=now + conf.lockout_duration(),
    )


def _slowdown(username, now):
    """The wait an account under attack from many addresses imposes on its next try, if any."""
    if not username:
        return None
    since = max(now - conf.failure_window(), _last_sign_in(username) or now - conf.failure_window())
    failures = _failures(username=username, at__gt=since)
    excess = failures.count() - conf.account_slowdown_after()
    if excess < 0 or _has_second_factor_by_name(username):
        return None
    delay = datetime.timedelta(seconds=min(conf.account_max_delay(), 2**excess))
    last = failures.aggregate(at=Max("at"))["at"]
    if last and now < last + delay:
        return Slowdown(retry_at=last + delay)
    return None


def begin_attempt(*, username, ip_address, step="password", now=None):
    """Check and count one try in a single serialised step.

    Returns (attempt, None) when the try may go ahead (it counts as a failure until
    `finish_attempt` says otherwise), or (None, refusal) with a Lockout or a Slowdown."""
    now = now or timezone.now()
    username = normalise_username(username)
    with transaction.atomic():
        _serialise_sign_ins()
        refusal = active_lockout(username=username, ip_address=ip_address, now=now)
        # Tries still in flight count too: enough of them lock before any has failed.
        refusal = refusal or _lock_if_over(username=username, ip_address=ip_address, now=now)
        refusal = refusal or _slowdown(username, now)
        if refusal:
            return None, refusal
        attempt = LoginAttempt.objects.create(username=username, ip_address=ip_address, at=now, step=step)
    return attempt, None


def finish_attempt(attempt, *, succeeded, complete=True, now=None):
    """Record how a try ended; return the Lockout a failure caused, if it was one too many.

    `complete` is False for a right password that still needs the second step: it is not a
    failure, but it does not restart the account's count either."""
    now = now or timezone.now()
    if succeeded:
        LoginAttempt.objects.filter(pk=attempt.pk).update(
            succeeded=True, step="complete" if complete else attempt.step
        )
        if complete:
            prune_attempts(now)
        return None
    with transaction.atomic():
        _serialise_sign_ins()
        return _lock_if_over(username=attempt.username, ip_address=attempt.ip_address, now=now)


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


def refusal_message(refusal, now=None):
    """What a refused person reads: why, until when, and how to get in sooner."""
    now = now or timezone.now()
    if isinstance(refusal, Slowdown):
        seconds = max(1, round((refusal.retry_at - now).total_seconds()))
        return (
            "Many failed sign-ins for this account recently, from several places: tries are "
            f"spaced out for now. Wait {seconds} second{'s' if seconds != 1 else ''} and try again."
        )
    lockout = refusal
    until = timezone.localtime(lockout.locked_until)
    minutes = max(1, round((lockout.locked_until - now).total_seconds() / 60))
    what = {
        Lockout.Scope.IP: "your network address",
        Lockout.Scope.ACCOUNT_AT_ADDRESS: "this account from your network address",
    }.get(lockout.scope, "this account")
    return (
        f"Too many failed sign-ins for {what}: signing in is paused until "
        f"{date_format(until, 'H:i')} {until.tzname()} (about {minutes} minute{'s' if minutes != 1 else ''}). "
        "Try again then, or ask an editor to unlock it sooner."
    )


def prune_attempts(now=None):
    """Drop attempts older than the retention period (lockouts stay as the record)."""
    cutoff = (now or timezone.now()) - conf.attempt_retention()
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
    return totp.provisioning_uri(device.secret, account=device.user.get_username(), issuer=conf.totp_issuer())


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
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(conf.recovery_code_count())]
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
