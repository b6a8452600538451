"""Sign-in records: attempts and lockouts (shared by every process through the database), and
the second factor of staff who turned it on (a TOTP key and single-use recovery codes)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LoginAttempt(models.Model):
    """One try at the password or the code step of signing in to the back office."""

    username = models.CharField(max_length=150, db_index=True, help_text="As typed, in lower case.")
    ip_address = models.CharField("network address", max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)
    step = models.CharField(max_length=12, default="password", help_text="password or code")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "at"], name="accounts_attempt_user_at"),
            models.Index(fields=["ip_address", "at"], name="accounts_attempt_ip_at"),
        ]

    def __str__(self):
        outcome = "signed in" if self.succeeded else "failed"
        return f"{self.username} from {self.ip_address}: {outcome}"


class LockoutQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(unlocked_at__isnull=True, locked_until__gt=now or timezone.now())

    def refusing(self, *, username, ip_address):
        """Lockouts that refuse `username` signing in from `ip_address`."""
        condition = models.Q(scope=Lockout.Scope.IP, key=ip_address)
        if username:
            condition |= models.Q(scope=Lockout.Scope.USERNAME, key=username)
            condition |= models.Q(scope=Lockout.Scope.ACCOUNT_AT_ADDRESS, key=username, ip_address=ip_address)
        return self.filter(condition)

    def for_key(self, *, username=None, ip_address=None):
        """Every lockout of a username (at any address) and/or of an address (of any account)."""
        condition = models.Q(pk__in=[])
        if username:
            condition |= models.Q(key=username) & ~models.Q(scope=Lockout.Scope.IP)
        if ip_address:
            condition |= models.Q(scope=Lockout.Scope.IP, key=ip_address)
            condition |= models.Q(scope=Lockout.Scope.ACCOUNT_AT_ADDRESS, ip_address=ip_address)
        return self.filter(condition)


class Lockout(models.Model):
    """A network address, or an account from one address, refused sign-in until `locked_until`
    (or an unlock). USERNAME (an account from anywhere) is no longer created: anyone could
    trigger it and shut the account's owner out; it stays for lockouts made before."""

    class Scope(models.TextChoices):
        USERNAME = "username", "Username"
        IP = "ip", "Network address"
        ACCOUNT_AT_ADDRESS = "account_ip", "Account from an address"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=150, db_index=True, help_text="The username or the address.")
    ip_address = models.CharField(
        "network address", max_length=64, blank=True, default="", help_text="For an account from an address."
    )
    failures = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(db_index=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlocked_by = models.CharField(max_length=150, blank=True)

    objects = LockoutQuerySet.as_manager()

    class Meta:
        ordering = ["-locked_at", "-id"]
        permissions = [("unlock_lockout", "Can unlock a locked sign-in")]

    def __str__(self):
        at = f" from {self.ip_address}" if self.ip_address else ""
        return f"{self.get_scope_display()} {self.key}{at}"

    def is_active(self, now=None):
        return self.unlocked_at is None and self.locked_until > (now or timezone.now())


class TwoFactorDevice(models.Model):
    """A staff member's authenticator app: the shared TOTP key, confirmed once a code matched."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last time step whose code was accepted: a code is good only once.
    last_used_step = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "two-factor sign-in"
        verbose_name_plural = "two-factor sign-ins"

    def __str__(self):
        return f"{self.user} ({'on' if self.is_confirmed else 'being set up'})"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for signing in without the authenticator app; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"recovery code of {self.user} ({'used' if self.used_at else 'unused'})"
