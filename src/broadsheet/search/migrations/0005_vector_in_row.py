"""PostgreSQL: each document's word vector is kept in its row again (STORAGE MAIN: compressed
when that pays, out of line only when a row would not fit a page), while the headline, summary
and body stay out of line (migration 0003).

A search ranks up to max_candidates matches, and ts_rank_cd reads each one's vector: out of line,
that is a lookup in the TOAST index and a read of a TOAST page per candidate, scattered over a
table ten times the size of the rows (2 GB at a million stories). In the row, it comes with the
page the search reads anyway. Ranking 5,000 stored vectors costs the server 10 ms of CPU instead
of 18; the scores are the same.

The table is rewritten (VACUUM FULL, outside a transaction, then vacuumed) so the stored vectors move too: a few
minutes for a million documents, during which searches wait. SQLite: nothing to do.
"""

from django.db import migrations

# VACUUM FULL rewrites the table; the plain VACUUM after it marks the pages all-visible again
# (the rewrite leaves the visibility map empty: index-only scans would read every row's page).
FORWARD = (
    "ALTER TABLE search_document ALTER COLUMN vector SET STORAGE MAIN",
    "VACUUM FULL search_document",
    "VACUUM (ANALYZE) search_document",
)

BACKWARD = (
    "ALTER TABLE search_document ALTER COLUMN vector SET STORAGE EXTERNAL",
    "VACUUM FULL search_document",
    "VACUUM (ANALYZE) search_document",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction

    dependencies = [("search", "0004_language_configs")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
