"""PostgreSQL: a text search configuration per language PostgreSQL can stem, and the one each
document was indexed with.

`broadsheet_search_<language>` (Turkish, Arabic, German, ... whatever this server has in
pg_catalog) is a copy of PostgreSQL's own, without unaccent: a stemmer knows its own letters
(Turkish suffixes need their ı, ş and ğ). `broadsheet_search_simple` keeps words as written,
accents folded: stories in other languages carry it beside their stems, so a name typed without
accents still finds them, and a language with no stemmer gets it alone. English stories keep
`broadsheet_search` (migration 0001). Stories already indexed stay as they were until
`broadsheet search rebuild` (or their next save) indexes them with their language.
"""

import re

from django.db import migrations

_NAME = re.compile(r"^[a-z_]+$")


def _stemmed_languages(cursor):
    cursor.execute(
        "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace"
        " AND cfgname NOT IN ('simple', 'english') ORDER BY cfgname"
    )
    return [name for (name,) in cursor.fetchall() if _NAME.match(name)]


def _has_unaccent(cursor):
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent')")
    return cursor.fetchone()[0]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    with schema_editor.connection.cursor() as cursor:
        languages = _stemmed_languages(cursor)
        unaccent = _has_unaccent(cursor)
    for language in languages:
        execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS broadsheet_search_{language}")
        execute(
            f"CREATE TEXT SEARCH CONFIGURATION broadsheet_search_{language} (COPY = pg_catalog.{language})"
        )
    execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS broadsheet_search_simple")
    execute("CREATE TEXT SEARCH CONFIGURATION broadsheet_search_simple (COPY = pg_catalog.simple)")
    if unaccent:
        execute(
            "ALTER TEXT SEARCH CONFIGURATION broadsheet_search_simple"
            " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
    execute(
        "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS config text NOT NULL DEFAULT 'broadsheet_search'"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS config")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'broadsheet\\_search\\_%'")
        names = [name for (name,) in cursor.fetchall() if _NAME.match(name)]
    for name in names:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_recency_buckets")]

    operations = [migrations.RunPython(forward, backward)]
