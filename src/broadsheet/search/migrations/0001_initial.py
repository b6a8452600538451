"""The search index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL.

Each backend's objects are created only on its own database; the app has no Django models.
On PostgreSQL accents are folded by `unaccent` inside our text search configuration when the
extension can be installed, else the backend folds text in Python (see search/postgres.py).
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    headline, summary, body,
    section_id UNINDEXED, source_id UNINDEXED, publish_ts UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3'
)
"""

POSTGRES_TABLE = """
CREATE TABLE IF NOT EXISTS search_document (
    article_id bigint PRIMARY KEY,
    section_id bigint NOT NULL,
    source_id bigint NULL,
    publish_at timestamp with time zone NOT NULL,
    headline text NOT NULL,
    summary text NOT NULL,
    body text NOT NULL,
    vector tsvector NOT NULL
)
"""


def _install_unaccent(connection):
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        return True
    except DatabaseError as error:
        log.warning("unaccent is not available (%s); search folds accents in Python", error)
        return False


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    execute = schema_editor.execute
    if vendor == "sqlite":
        execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        unaccent = _install_unaccent(schema_editor.connection)
        execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS broadsheet_search")
        execute("CREATE TEXT SEARCH CONFIGURATION broadsheet_search (COPY = pg_catalog.english)")
        if unaccent:
            execute(
                "ALTER TEXT SEARCH CONFIGURATION broadsheet_search"
                " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
            )
        execute(POSTGRES_TABLE)
        execute("CREATE INDEX IF NOT EXISTS search_document_vector_idx ON search_document USING gin (vector)")
        execute("CREATE INDEX IF NOT EXISTS search_document_publish_idx ON search_document (publish_at DESC)")


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_document")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS broadsheet_search")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
