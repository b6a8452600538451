"""Settings of the editors' accounts app, read in one place and when used (each has a default
that suits a newsroom)."""

from datetime import timedelta

from django.conf import settings


def _get(name, default):
    return getattr(settings, f"BROADSHEET_{name}", default)


def username_failure_limit():
    """Failed sign-ins for one account from one address before that account is locked there."""
    return int(_get("LOGIN_USERNAME_LIMIT", 5))


def ip_failure_limit():
    """Failed sign-ins from one address, any accounts; higher, because a newsroom's office often
    shares one public address."""
    return int(_get("LOGIN_IP_LIMIT", 20))


def account_slowdown_after():
    """Failed sign-ins for one account from all addresses after which its tries are spaced out
    (never locked: a lock anyone can trigger would shut the account's owner out)."""
    return int(_get("LOGIN_ACCOUNT_SLOWDOWN_AFTER", 10))


def account_max_delay():
    """The longest wait between two tries at a slowed-down account, in seconds."""
    return int(_get("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 60))


def failure_window():
    return timedelta(seconds=int(_get("LOGIN_WINDOW_SECONDS", 15 * 60)))


def lockout_duration():
    return timedelta(seconds=int(_get("LOGIN_LOCKOUT_SECONDS", 15 * 60)))


def attempt_retention():
    """How long sign-in attempts are kept for the record before `prune_attempts` drops them."""
    return timedelta(days=int(_get("LOGIN_RETENTION_DAYS", 30)))


def totp_issuer():
    return _get("TOTP_ISSUER", None) or getattr(settings, "BROADSHEET_SITE_NAME", "Broadsheet")


def second_step_max_age():
    """Seconds between the password step and the code step before the sign-in must start again."""
    return int(_get("2FA_STEP_SECONDS", 5 * 60))


def recovery_code_count():
    return int(_get("2FA_RECOVERY_CODES", 10))
