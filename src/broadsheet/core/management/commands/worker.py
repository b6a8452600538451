"""`broadsheet worker`: run background tasks (related lists, search index, emails) as they arrive.

A heartbeat thread beside the worker lets another worker requeue tasks this one leaves
running if it is killed (see broadsheet.core.workers); another thread runs the due periodic
jobs (broadsheet.core.periodic). With --batch the due jobs run once, before the tasks.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from broadsheet.core import periodic, workers


class Command(BaseCommand):
    help = "Run the background task worker (Django tasks, database backend)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the queued tasks, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")

    def handle(self, *args, **options):
        worker_id = workers.new_worker_id()
        workers.beat(worker_id)
        requeued = workers.requeue_abandoned()
        if requeued:
            self.stdout.write(f"Requeued {requeued} tasks left running by a worker that stopped.")
        heartbeat = workers.Heartbeat(worker_id)
        heartbeat.start()
        runner = None
        if options["batch"]:
            periodic.run_due(worker=worker_id)
        else:
            runner = workers.PeriodicRunner(worker_id)
            runner.start()
        extra = ["--batch"] if options["batch"] else []
        try:
            call_command(
                "db_worker",
                "--queue-name",
                "*",
                "--worker-id",
                worker_id,
                "--interval",
                str(options["interval"]),
                "--no-startup-delay",
                "--no-reload",
                *extra,
            )
        finally:
            if runner is not None:
                runner.stopped.set()
                runner.join(timeout=30)
            heartbeat.stopped.set()
            heartbeat.join(timeout=10)
