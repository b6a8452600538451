"""The worker's side of readership: move counted reads to the database."""

from django.core.cache import cache
from django_tasks import task

from . import services


@task()
def flush_task():
    cache.delete(services.FLUSH_FLAG)
    return services.flush()
