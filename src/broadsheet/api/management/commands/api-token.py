"""`broadsheet api-token USERNAME [--name NAME]`: a new access token for a staff member."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from broadsheet.api.models import AccessToken


class Command(BaseCommand):
    help = "Make an API access token for a staff member and print it (it is not stored, only its digest)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not (user.is_active and user.is_staff):
            raise CommandError(f"{options['username']!r} is not an active staff member.")
        _token, raw = AccessToken.issue(user=user, name=options["name"])
        self.stdout.write(raw)
