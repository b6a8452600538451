"""Settings of the editors' accounts app, read in one place (each has a default that suits a newsroom)."""

from datetime import timedelta

from django.conf import settings

# Failed sign-ins allowed for one username inside the window before it is locked.
USERNAME_FAILURE_LIMIT = getattr(settings, "BROADSHEET_LOGIN_USERNAME_LIMIT", 5)
# Failed sign-ins allowed from one address inside the window; higher, because a newsroom's office
# often shares one public address.
IP_FAILURE_LIMIT = getattr(settings, "BROADSHEET_LOGIN_IP_LIMIT", 20)
FAILURE_WINDOW = timedelta(seconds=getattr(settings, "BROADSHEET_LOGIN_WINDOW_SECONDS", 15 * 60))
LOCKOUT_DURATION = timedelta(seconds=getattr(settings, "BROADSHEET_LOGIN_LOCKOUT_SECONDS", 15 * 60))
# How long sign-in attempts are kept for the record before `prune_attempts` drops them.
ATTEMPT_RETENTION = timedelta(days=getattr(settings, "BROADSHEET_LOGIN_RETENTION_DAYS", 30))

TOTP_ISSUER = getattr(settings, "BROADSHEET_TOTP_ISSUER", None) or getattr(
    settings, "BROADSHEET_SITE_NAME", "Broadsheet"
)
# Seconds between the password step and the code step before the sign-in must start again.
SECOND_STEP_MAX_AGE = getattr(settings, "BROADSHEET_2FA_STEP_SECONDS", 5 * 60)
RECOVERY_CODE_COUNT = getattr(settings, "BROADSHEET_2FA_RECOVERY_CODES", 10)
