"""PostgreSQL: each document carries its publishing day in a second tsvector, `recency`, indexed
in the same GIN index as its words, so a search can ask the index for "matches published since
day N" and read only those rows (see postgres.py). The long columns are kept out of the row
itself, so the rows a search reads lie close together.

`recency` holds four lexemes: the day (days since 1970-01-01, UTC) and the 8-, 64- and 512-day
blocks holding it, e.g. '@0:20418' '@1:2552' '@2:319' '@3:39'. A reader's query never holds '@'
(query.py keeps letters and digits only), so these never match a searched word.

Adding the generated column rewrites the table: about two minutes for a million documents.
"""

from django.db import migrations

RECENCY_FUNCTION = """
CREATE OR REPLACE FUNCTION broadsheet_search_recency(published timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY['@0:' || day, '@1:' || floor(day / 8.0)::int,
        '@2:' || floor(day / 64.0)::int, '@3:' || floor(day / 512.0)::int])
    FROM (SELECT floor(extract(epoch FROM published) / 86400)::int AS day) d
$$
"""

FORWARD = (
    RECENCY_FUNCTION,
    # Headline, summary, body and vector out of line: a row is its ids, its date and pointers.
    "ALTER TABLE search_document SET (toast_tuple_target = 128)",
    "ALTER TABLE search_document ALTER COLUMN headline SET STORAGE EXTERNAL,"
    " ALTER COLUMN summary SET STORAGE EXTERNAL, ALTER COLUMN body SET STORAGE EXTERNAL,"
    " ALTER COLUMN vector SET STORAGE EXTERNAL",
    "ALTER TABLE search_document ADD COLUMN recency tsvector"
    " GENERATED ALWAYS AS (broadsheet_search_recency(publish_at)) STORED",
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "CREATE INDEX search_document_vector_idx ON search_document USING gin (vector, recency)",
    "ANALYZE search_document",
)

BACKWARD = (
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS recency",
    "ALTER TABLE search_document ALTER COLUMN headline SET STORAGE EXTENDED,"
    " ALTER COLUMN summary SET STORAGE EXTENDED, ALTER COLUMN body SET STORAGE EXTENDED,"
    " ALTER COLUMN vector SET STORAGE EXTENDED",
    "ALTER TABLE search_document RESET (toast_tuple_target)",
    "CREATE INDEX search_document_vector_idx ON search_document USING gin (vector)",
    "DROP FUNCTION IF EXISTS broadsheet_search_recency(timestamptz)",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_recency_keys")]

    operations = [migrations.RunPython(forward, backward)]
