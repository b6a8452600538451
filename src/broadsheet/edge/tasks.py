"""The task worker drains the purge queue too, so keys left by a process that stopped are sent."""

from django_tasks import task


@task()
def drain_purges() -> int:
    from .sending import drain

    sent, _wait = drain()
    return sent
