"""Writing many rows fast during a rebuild: COPY on PostgreSQL, executemany on SQLite, and
secondary indexes built once after the load instead of row by row.

Rows come as numpy columns where they can, so no Python object is made per row on PostgreSQL.
"""

import struct
from contextlib import contextmanager

import numpy as np
from django.db import connection

# PostgreSQL binary COPY: one numpy type per column type we write (big-endian, as the format says).
_PG_TYPES = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "double": ">f8",
    "real": ">f4",
    "bool": "?",
    "boolean": "?",
}
_PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_PG_TRAILER = struct.pack(">h", -1)


def quote(name):
    return connection.ops.quote_name(name)


def empty_tables(models):
    """Delete every row of these tables, at once however many there are. PostgreSQL has
    TRUNCATE; SQLite deletes row by row while foreign keys are checked (minutes for millions of
    rows), so there each table is dropped and made again from its own schema, indexes and all.
    None of these tables may be referenced by another."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        for table in tables:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                "ORDER BY type = 'index'",  # the table first, then its indexes
                [table],
            )
            schema = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"DROP TABLE {quote(table)}")
            for sql in schema:
                cursor.execute(sql)


def write_columns(model, columns, *, step=200_000):
    """Insert rows given as {column name: numpy array} of one length, `step` rows at a time."""
    n = len(next(iter(columns.values())))
    for start in range(0, n, step):
        _write_columns(model, {name: values[start : start + step] for name, values in columns.items()})


def _write_columns(model, columns):
    names = list(columns)
    n = len(columns[names[0]])
    if n == 0:
        return
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = {f.column: f.db_type(connection) for f in model._meta.concrete_fields}
            rows = np.empty(n, dtype=_binary_row_type(names, types))
            rows["fields"] = len(names)
            for name in names:
                rows[name + "_size"] = rows.dtype[name].itemsize
                rows[name] = columns[name]
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(_PG_HEADER)
                copy.write(rows.tobytes())
                copy.write(_PG_TRAILER)
        else:
            marks = ", ".join(["%s"] * len(names))
            values = [np.asarray(c).tolist() for c in columns.values()]
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({marks})", zip(*values, strict=True)
            )


def _binary_row_type(names, types):
    fields = [("fields", ">i2")]
    for name in names:
        kind = types[name].split()[0].split("(")[0]
        fields += [(name + "_size", ">i4"), (name, _PG_TYPES[kind])]
    return np.dtype(fields)


def write_rows(model, names, rows):
    """Insert an iterable of row tuples (for columns numpy cannot hold, like blobs)."""
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({marks})", rows)


@contextmanager
def indexes_built_after(model):
    """Drop the table's plain secondary indexes for a bulk load and build them again after it:
    one sort each instead of a random B-tree insert per row. Unique and primary-key indexes stay.
    On SQLite, a bigger page cache while loading, too."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                "AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
                " AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        cache = None
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, this connection only
    try:
        yield
        # (after a failure the transaction rolls back, and the dropped indexes come back with it)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and indexes:
                # CREATE INDEX refuses to run while deferred foreign-key checks are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, sql in indexes:
                cursor.execute(sql)
            if connection.vendor == "postgresql" and indexes:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    finally:
        if cache is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")
