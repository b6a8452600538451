"""What the desk keeps beside a story: which editor tab saved its current version."""

from django.db import models


class TabSave(models.Model):
    """The last save of a story made from the editor: the tab that sent it, the version it made,
    and the tab's number for that save.

    Kept in the database, in the save's own transaction, because "this newer version is my own"
    must never be forgotten while the version stands: a cache may drop it, and then a reloaded
    editor would be shown a conflict with itself.
    """

    article = models.OneToOneField(
        "newsroom.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    client = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    seq = models.BigIntegerField()

    def __str__(self):
        return f"story {self.article_id} v{self.version} by tab {self.client}"
