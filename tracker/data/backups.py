"""Consistent copies of the whole database, and bringing one back.

SQLite: the online backup API copies the database page by page while the app keeps serving; a write that lands
during the copy makes SQLite restart the copy, so the file is always one consistent moment. A restore copies the
other way, into the live database, under the same API's locks.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot: it runs in one repeatable-read transaction) and
`pg_restore --clean --single-transaction`, both given the connection settings Django uses.
"""

import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

log = logging.getLogger(__name__)

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"


class BackupError(Exception):
    """Something a person can act on: the message says what went wrong and nothing was changed."""


@dataclass(frozen=True)
class Backup:
    path: Path
    tables: int
    rows: int


def vendor() -> str:
    return connection.vendor


def new_path(directory: Path, prefix: str, stamp: str) -> Path:
    """A file name in `directory` that no backup has yet: `<prefix>-<stamp>`, then `-2`, `-3`... within a second."""
    suffix = SQLITE_SUFFIX if vendor() == "sqlite" else POSTGRES_SUFFIX
    path = directory / f"{prefix}-{stamp}{suffix}"
    n = 1
    while path.exists():
        n += 1
        path = directory / f"{prefix}-{stamp}-{n}{suffix}"
    return path


def row_counts(conn=None) -> dict[str, int]:
    """Rows in every table of the live database (or of an open sqlite3 connection to a backup)."""
    if conn is not None:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
    with connection.cursor() as cursor:
        counts = {}
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
        return counts


def _summary(path: Path, counts: dict[str, int]) -> Backup:
    return Backup(path=path, tables=len(counts), rows=sum(counts.values()))


# SQLite ----------------------------------------------------------------------------------------------------------


def _live_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _open_sqlite_backup(path: Path) -> sqlite3.Connection:
    """A backup file opened read-only, after checking it is a whole, healthy Cramp Diary database."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        migrated = source.execute(
            "SELECT COUNT(*) FROM django_migrations WHERE app = 'tracker'"  # noqa: S608
        ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Cramp Diary SQLite backup ({error}).") from None
    if check != "ok":
        source.close()
        raise BackupError(f"{path} is damaged: {check}.")
    if not migrated:
        source.close()
        raise BackupError(f"{path} is a SQLite database but not a Cramp Diary backup.")
    return source


def _sqlite_backup(path: Path) -> Backup:
    partial = path.with_name(path.name + ".partial")
    target = sqlite3.connect(partial)
    try:
        _live_sqlite().backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        counts = row_counts(target)
    finally:
        target.close()
    partial.replace(path)  # the finished copy appears at once, never half-written
    return _summary(path, counts)


def _sqlite_restore(path: Path) -> Backup:
    source = _open_sqlite_backup(path)
    try:
        counts = row_counts(source)
        connections.close_all()
        source.backup(_live_sqlite())
    finally:
        source.close()
    connections.close_all()  # the next query reopens the restored database with the usual PRAGMAs
    return _summary(path, counts)


# PostgreSQL ------------------------------------------------------------------------------------------------------


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client (Debian: postgresql-client)."
        )
    settings = connection.settings_dict
    args = [program, "--no-password", "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip() or result.returncode}")


def _pg_backup(path: Path) -> Backup:
    args, env = _pg_command("pg_dump")
    partial = path.with_name(path.name + ".partial")
    _run([*args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)], env)
    partial.replace(path)
    return _summary(path, row_counts())


def _pg_restore(path: Path) -> Backup:
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    with path.open("rb") as file:
        if file.read(5) != b"PGDMP":
            raise BackupError(f"{path} is not a pg_dump custom-format backup.")
    args, env = _pg_command("pg_restore")
    listing = subprocess.run(  # noqa: S603 - the dump's table of contents, read before anything is dropped
        [args[0], "--list", str(path)], env=env, capture_output=True, text=True, check=False
    )
    if "TABLE DATA public django_migrations" not in listing.stdout:
        raise BackupError(f"{path} is a pg_dump backup but not of a Cramp Diary database.")
    connections.close_all()  # our own idle connection would hold locks the DROPs wait for
    _run(
        [*args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(path)],
        env,
    )
    connections.close_all()
    return _summary(path, row_counts())


# Either ----------------------------------------------------------------------------------------------------------


def backup(path: Path) -> Backup:
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name so no backup is overwritten.")
    path.parent.mkdir(parents=True, exist_ok=True)
    made = _sqlite_backup(path) if vendor() == "sqlite" else _pg_backup(path)
    log.info("backup written: %d tables, %d rows", made.tables, made.rows)
    return made


def restore(path: Path) -> Backup:
    """Replace the live database with the backup at `path`, after checking it is one of ours."""
    restored = _sqlite_restore(path) if vendor() == "sqlite" else _pg_restore(path)
    log.info("backup restored: %d tables, %d rows", restored.tables, restored.rows)
    return restored
