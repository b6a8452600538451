"""Existing Markdown story bodies become the HTML body format (docs/body-format.md), once.

Lossless: each body is rendered by the same Markdown renderer that made its page until now,
so every story reads exactly as it did. Going back leaves the HTML, which Markdown shows as is.
"""

from django.db import migrations

BATCH = 500


def markdown_to_html(apps, schema_editor):
    from broadsheet.newsroom.text import is_body_html, render_markdown

    Article = apps.get_model("newsroom", "Article")
    pending = Article.objects.exclude(body="").only("pk", "body").order_by("pk")
    batch = []
    for article in pending.iterator(chunk_size=BATCH):
        if is_body_html(article.body):
            continue
        article.body = render_markdown(article.body)
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_update(batch, ["body"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["body"])


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0004_desk_editor")]

    operations = [migrations.RunPython(markdown_to_html, migrations.RunPython.noop, elidable=True)]
