"""SQLite: the FTS5 rows get recency keys and the filter columns move to a small table beside
them, so a query reads no article text to filter and can walk its matches newest first.

The index is derived data: it is emptied and filled again from the published articles.
"""

from django.db import migrations

SQLITE_DROP = ("DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_meta")
SQLITE_CREATE = (
    """CREATE TABLE IF NOT EXISTS search_meta (
        doc_key INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL UNIQUE,
        publish_ts INTEGER NOT NULL,
        section_id INTEGER NOT NULL,
        source_id INTEGER NULL
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        headline, summary, body,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '3'
    )""",
)


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_DROP + SQLITE_CREATE:
        schema_editor.execute(sql)
    Article = apps.get_model("newsroom", "Article")
    if Article.objects.filter(status="published").exists():
        # Fill it again with the app's own indexer (the index has no history of its own).
        from broadsheet.search import services

        services.rebuild()


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_DROP:
        schema_editor.execute(sql)
    schema_editor.execute(
        """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
            headline, summary, body,
            section_id UNINDEXED, source_id UNINDEXED, publish_ts UNINDEXED,
            tokenize = 'porter unicode61 remove_diacritics 2',
            prefix = '3'
        )"""
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("newsroom", "0001_initial")]

    operations = [migrations.RunPython(recreate, back)]
