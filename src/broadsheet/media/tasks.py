"""Background work of the media library: renditions are made by the worker, never in a request."""

from django_tasks import task

from . import services
from .models import EmbedThumbnail, Picture


@task()
def make_renditions_task(picture_id: int) -> int:
    picture = Picture.objects.filter(pk=picture_id).first()
    if picture is None:
        return 0
    return len(services.make_renditions(picture))


@task()
def fetch_embed_thumbnail_task(thumbnail_id: int) -> str:
    from . import embeds

    thumbnail = EmbedThumbnail.objects.filter(pk=thumbnail_id).first()
    if thumbnail is None:
        return ""
    return embeds.fetch_thumbnail(thumbnail).state
