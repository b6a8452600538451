"""Background work: keep related lists fresh when articles change (Django tasks API)."""

from django_tasks import task

from . import services


@task()
def update_related(article_ids: list[int]) -> int:
    services.update_related(article_ids)
    return len(article_ids)


@task()
def remove_related(article_ids: list[int]) -> int:
    services.remove_related(article_ids)
    return len(article_ids)


@task()
def rebuild_related() -> int:
    return services.rebuild_related()


@task()
def recompute_related(article_ids: list[int]) -> int:
    services.recompute_related(article_ids)
    return len(article_ids)
