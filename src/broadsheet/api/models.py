"""Access tokens: how a program reads what only staff may read (our own export)."""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


class AccessToken(models.Model):
    """A secret a staff member gives a program; only its digest is kept (shown once when made)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “nightly backup”.")
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to tell it apart.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: Any, name: str) -> tuple["AccessToken", str]:
        """A new token for `user`: the row and the secret (which is never stored)."""
        raw = "bst_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name[:100], prefix=raw[:12], digest=token_digest(raw)), raw
