"""`broadsheet unlock-user USERNAME [--ip ADDRESS]`: lift a sign-in lockout from the shell."""

from django.core.management.base import BaseCommand, CommandError

from broadsheet.accounts import services


class Command(BaseCommand):
    help = "Lift the sign-in lockout of a username (and, with --ip, of a network address)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--ip", default="", help="also unlock this network address")

    def handle(self, *args, username="", ip="", **options):
        if not username and not ip:
            raise CommandError("Give a username, --ip ADDRESS, or both.")
        lifted = services.unlock(username=username or None, ip_address=ip or None, by="unlock-user command")
        if lifted:
            self.stdout.write(
                self.style.SUCCESS(f"Unlocked: {lifted} lockout{'s' if lifted != 1 else ''} lifted.")
            )
        else:
            self.stdout.write("Nothing to unlock: no active lockout for that username or address.")
