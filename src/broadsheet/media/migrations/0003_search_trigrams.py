"""On PostgreSQL, trigram indexes answer the library's text search (ILIKE '%word%' on title,
alt text, caption and credit) without reading every picture. Elsewhere nothing changes.

Creating the pg_trgm extension needs a role allowed to; without it the search still works,
reading the table as before.
"""

from django.db import migrations, transaction

FIELDS = ("title", "alt_text", "caption", "credit")


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no right to add extensions: keep the plain search
        return
    for field in FIELDS:
        # Django's icontains on PostgreSQL compares UPPER("column") LIKE UPPER(%s).
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS picture_{field}_trgm ON media_picture USING gin (UPPER("{field}") gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for field in FIELDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS picture_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("media", "0002_renditions")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
