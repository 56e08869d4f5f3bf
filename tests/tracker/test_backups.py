"""`manage.py backup` and `restore`: a restored backup holds every row of every table exactly as it was."""

import os
import shutil
import sqlite3
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import cramp, make_person
from tracker.data import backups
from tracker.models import CrampEpisode, PromptAcknowledgement, ShareLink

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list[str]]:
    """Every row of every table in the live database, in a comparable order."""
    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(map(repr, cursor.fetchall()))
        return rows


@pytest.fixture
def diary(foods, alices_entries):
    """alice's entries of every kind, the 12-week demo diary, a share link and a read prompt."""
    call_command("seed_demo", stdout=StringIO())
    alice = alices_entries["cramp"].user
    ShareLink.objects.create(
        user=alice,
        token_hash="a" * 64,
        first=timezone.localdate() - timedelta(days=27),
        last=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=14),
    )
    PromptAcknowledgement.objects.create(user=alice, rule_id="clot_signs", acknowledged_at=timezone.now())
    return alice


@pytest.fixture
def needs_pg_tools():
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have the PostgreSQL client (pg_dump, pg_restore): .ci/run installs it")
        pytest.skip("pg_dump is not installed here (Debian: postgresql-client)")


def test_restore_brings_back_every_row(diary, tmp_path, needs_pg_tools):
    before = every_row()
    assert sum(len(rows) for rows in before.values()) > 1000  # a real diary, not a handful of rows
    out = StringIO()
    call_command("backup", str(tmp_path / "diary.bak"), stdout=out)
    assert "Backed up" in out.getvalue()

    # Everything changes after the backup: a person deleted with all their entries, another added.
    diary.delete()
    cramp(make_person("mallory"), timezone.now())
    CrampEpisode.objects.filter(user__username="demo").update(intensity=0)
    assert every_row() != before

    out = StringIO()
    call_command("restore", str(tmp_path / "diary.bak"), interactive=False, stdout=out)
    assert every_row() == before
    assert "Restored" in out.getvalue()
    # The app goes on writing to the restored database.
    cramp(User.objects.get(username="alice"), timezone.now())
    assert CrampEpisode.objects.filter(user__username="alice").count() == 2

    # The database as it was before the restore was kept, and restoring it undoes the restore.
    (kept,) = tmp_path.glob("before-restore-*")
    call_command("restore", str(kept), interactive=False, stdout=StringIO())
    assert User.objects.filter(username="mallory").exists()
    assert not User.objects.filter(username="alice").exists()


def test_sqlite_backup_is_one_self_contained_file(diary, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file format")

    done = backups.backup(tmp_path / "copy.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3"]  # no -wal, no .partial left
    copy = sqlite3.connect(done.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (
        copy.execute("SELECT COUNT(*) FROM tracker_crampepisode").fetchone()[0]
        == CrampEpisode.objects.count()
    )
    copy.close()
    backups.restore(done.path)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"  # the live database keeps its mode


def test_a_file_that_is_not_a_backup_changes_nothing(diary, tmp_path, needs_pg_tools):
    before = every_row()
    (tmp_path / "notes.txt").write_text("not a database")
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    cases = [("missing.bak", "There is no file"), ("notes.txt", "not a"), ("empty.sqlite3", "not a")]
    if connection.vendor == "postgresql":
        # A real pg_dump, of a database that isn't a Cramp Diary: refused before anything is dropped.
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--file", str(tmp_path / "other.pgdump"), "--dbname", "postgres"]
            + [f"--{key.lower()}={connection.settings_dict[key]}" for key in ("HOST", "PORT", "USER")],
            check=True,
        )
        cases.append(("other.pgdump", "not of a Cramp Diary database"))
    else:
        other = sqlite3.connect(tmp_path / "other.sqlite3")
        other.execute("CREATE TABLE django_migrations (app TEXT)")
        other.close()
        cases.append(("other.sqlite3", "not a Cramp Diary backup"))
    for name, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(tmp_path / name), interactive=False, stdout=StringIO())
        assert every_row() == before


def test_backup_never_overwrites(diary, tmp_path, needs_pg_tools):
    (tmp_path / "diary.bak").write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "diary.bak"), stdout=StringIO())
    assert (tmp_path / "diary.bak").read_text() == "an older backup"


def test_restore_asks_first(diary, tmp_path, monkeypatch, needs_pg_tools):
    call_command("backup", str(tmp_path / "diary.bak"), stdout=StringIO())
    diary.delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(tmp_path / "diary.bak"), stdout=StringIO())
    assert not User.objects.filter(username="alice").exists()
