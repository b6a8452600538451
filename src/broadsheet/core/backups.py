"""Backups of the whole site: the database and the uploaded media, in one .tar.gz archive.

SQLite is copied with its online backup API (consistent while the site runs); PostgreSQL with
`pg_dump --format=custom`. Restoring puts both back: SQLite through the backup API in reverse,
PostgreSQL with `pg_restore --clean --if-exists`, media by swapping the folder.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


def default_folder():
    return Path(settings.DATA_DIR) / "backups"


def _archive_path(destination):
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"broadsheet-backup-{stamp}.tar.gz"
    if destination is None:
        folder = default_folder()
    else:
        destination = Path(destination)
        if destination.name.endswith((".tar.gz", ".tgz")):
            destination.parent.mkdir(parents=True, exist_ok=True)
            return destination
        folder = destination
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _vendor(alias):
    return connections[alias].vendor


def _pg_env(settings_dict):
    env = dict(os.environ)
    for key, value in {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[key] = value
    return env


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"`{command[0]}` was not found; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result


def _dump_database(alias, folder):
    connection = connections[alias]
    if connection.vendor == "sqlite":
        source_path = connection.settings_dict["NAME"]
        target = folder / SQLITE_NAME
        # A connection of our own: the backup API copies page by page and restarts if a writer
        # changes the database meanwhile, so the copy is a consistent snapshot.
        with sqlite3.connect(source_path, timeout=30) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        source.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        target = folder / PG_NAME
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            _pg_env(connection.settings_dict),
        )
        return PG_NAME
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _migration_state(alias):
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def create_backup(destination=None, *, alias="default", media_root=None):
    """Write one archive with the database and the media folder; return its path."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    archive = _archive_path(destination)
    with tempfile.TemporaryDirectory(prefix="broadsheet-backup-") as work:
        work = Path(work)
        database_file = _dump_database(alias, work)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": _vendor(alias), "file": database_file},
            "migrations": _migration_state(alias),
            "media_files": sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else 0,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / database_file, arcname=database_file)
            if media_root.exists():
                tar.add(media_root, arcname=MEDIA_DIR)
        os.replace(partial, archive)  # a half-written archive never carries the final name
    archive.chmod(0o600)
    return archive


def read_manifest(archive):
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member)
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{archive} is not a Broadsheet backup: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} has backup format {manifest.get('format')!r}; this version reads {FORMAT_VERSION}."
        )
    return manifest


def _restore_sqlite(alias, database_file):
    target_path = connections[alias].settings_dict["NAME"]
    connections[alias].close()
    with sqlite3.connect(database_file) as source:
        problem = source.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"The database in the backup is damaged: {problem}")
        with sqlite3.connect(target_path, timeout=30) as target:
            # The backup API in reverse: the live file is rewritten in one locked step, so
            # other connections see either the old database or the restored one.
            source.backup(target)
        target.close()
    source.close()


def _restore_postgres(alias, dump_file):
    connection = connections[alias]
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump_file),
        ],
        _pg_env(connection.settings_dict),
    )


def _restore_media(extracted_media, media_root):
    media_root = Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restoring-", dir=media_root.parent))
    if extracted_media.exists():
        shutil.copytree(extracted_media, incoming, dirs_exist_ok=True)
    old = media_root.with_name(media_root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(incoming, media_root)
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(archive, *, alias="default", media_root=None):
    """Put the database and the media folder back as they were in `archive`; return its manifest."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    vendor = manifest["database"]["vendor"]
    if vendor != _vendor(alias):
        raise BackupError(f"This backup holds a {vendor} database; the site now runs on {_vendor(alias)}.")
    with tempfile.TemporaryDirectory(prefix="broadsheet-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
                tar.extractall(work, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{archive} could not be unpacked safely: {error}") from None
        database_file = work / manifest["database"]["file"]
        if vendor == "sqlite":
            _restore_sqlite(alias, database_file)
        else:
            _restore_postgres(alias, database_file)
        _restore_media(work / MEDIA_DIR, media_root or settings.MEDIA_ROOT)
    return manifest


def list_backups(folder=None):
    folder = Path(folder or default_folder())
    return sorted(folder.glob("broadsheet-backup-*.tar.gz")) if folder.exists() else []
