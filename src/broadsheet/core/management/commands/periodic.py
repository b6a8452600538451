"""`broadsheet periodic`: list the periodic jobs (last run, next run, last error), or
`broadsheet periodic run [NAME ...]` to run the due ones (or those named, now) in this process,
for a site run without a worker or to try a job out."""

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core import periodic, workers


class Command(BaseCommand):
    help = "List the periodic jobs, or run them."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["list", "run"], default="list")
        parser.add_argument("names", nargs="*", help="Jobs to run now, whatever their time.")

    def handle(self, *args, action, names, **options):
        worker = workers.new_worker_id()
        if action == "run":
            unknown = sorted(set(names) - set(periodic.registered()))
            if unknown:
                raise CommandError(f"No periodic job named {', '.join(unknown)}. `broadsheet periodic` lists them.")
            if names:
                for name in names:
                    ran = periodic.run_now(name, worker=worker)
                    self.stdout.write(f"{name}: {'ran' if ran else 'being run by another worker, left alone'}")
            else:
                ran = periodic.run_due(worker=worker)
                self.stdout.write(f"Ran {', '.join(ran)}." if ran else "No job was due.")
            return
        periodic.ensure_rows()
        for job in periodic.status(with_errors=True):
            line = f"{job['name']}: last run {job['last_run'] or 'never'}, next {job['next_run']}"
            if job["running"]:
                line += ", running now"
            if job.get("last_error"):
                line += f", last error: {job['last_error']}"
            self.stdout.write(line)
