"""`broadsheet newsletters digest daily|weekly` and `send-due` (run them from cron or a timer), `send ID`,
`import FILE.csv --source NAME`, `export FILE.csv`, `bounce FILE` (a bounce message from a mailbox)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from broadsheet.newsletters import bounces, csvio, sending


class Command(BaseCommand):
    help = "Newsletter digests, sending, CSV import/export and bounce messages."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="Build and queue today's digest.")
        digest.add_argument("kind", choices=["daily", "weekly"])
        send = sub.add_parser("send", help="Send (or resume sending) a queued newsletter in this process.")
        send.add_argument("newsletter_id", type=int)
        send.add_argument("--stop-after", type=int, default=None, help="Stop after this many messages (tests).")
        sub.add_parser("send-due", help="Send every scheduled newsletter whose time has come.")
        imp = sub.add_parser("import", help="Import subscribers from CSV (Mailchimp, Substack, Ghost or ours).")
        imp.add_argument("path")
        imp.add_argument("--source", default="", help="Where the list comes from, kept in the consent record.")
        exp = sub.add_parser("export", help="Export subscribers with their consent as CSV ('-' for stdout).")
        exp.add_argument("path")
        bounce = sub.add_parser("bounce", help="Handle a bounce or complaint message saved from a mailbox.")
        bounce.add_argument("path")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action.replace('-', '_')}")(**options)

    def do_digest(self, kind, **_):
        newsletter = sending.build_digest(kind)
        self.stdout.write(f"Queued {newsletter.subject!r}." if newsletter else "Nothing to send (no new stories, no readers of that list, or already built today).")

    def do_send(self, newsletter_id, stop_after, **_):
        newsletter = sending.start(newsletter_id)
        if newsletter is None:
            raise CommandError(f"Newsletter {newsletter_id} is not queued, due or sending.")
        sent = sending.deliver_all(newsletter, stop_after=stop_after)
        found = sending.counts(newsletter)
        self.stdout.write(f"Sent {sent} in this run; {found['sent']} of {found['recipients']} sent in all, {found['waiting']} waiting.")

    def do_send_due(self, **_):
        self.stdout.write(f"{sending.send_due()} scheduled newsletters sent.")

    def do_import(self, path, source, **_):
        with open(path, newline="", encoding="utf-8-sig") as handle:
            report = csvio.import_rows(handle, source=source or path)
        for line, message in report["errors"]:
            self.stderr.write(f"line {line}: {message}")
        self.stdout.write(f"{report['added']} added, {report['updated']} updated, {len(report['errors'])} refused.")

    def do_export(self, path, **_):
        if path == "-":
            count = csvio.export(sys.stdout)
        else:
            with open(path, "w", newline="", encoding="utf-8") as handle:
                count = csvio.export(handle)
        self.stderr.write(f"{count} subscribers exported.")

    def do_bounce(self, path, **_):
        with open(path, "rb") as handle:
            try:
                recorded = bounces.handle(handle.read())
            except bounces.NotABounce as error:
                raise CommandError(str(error)) from None
        for bounce in recorded:
            self.stdout.write(f"{bounce.kind}: {bounce.email}")


