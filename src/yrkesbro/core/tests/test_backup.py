"""Backups: backup → change → restore gives back the same rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from yrkesbro.core import backup
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import OrganisationFactory

KEY_TABLES = (
    "organisations_organisation",
    "accounts_user",
    "accounts_membership",
    "core_auditentry",
)

WRITER = """
import sys, time
import django
django.setup()
from yrkesbro.organisations.models import Organisation
from yrkesbro.organisations.models import Kind
print("ready", flush=True)
n = 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    n += 1
    Organisation.objects.create(name=f"Skriver {n}", kind=Kind.COMPANY)
print(n, flush=True)
"""


def cli(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(YRKESBRO_HOME=str(home), DJANGO_SETTINGS_MODULE="yrkesbro.settings")
    result = subprocess.run(
        [sys.executable, "-m", "yrkesbro.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


def sqlite_checksums(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return {
            t: hashlib.sha256(
                repr(conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall()).encode()  # noqa: S608
            ).hexdigest()
            for t in KEY_TABLES
        }


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite run covers it"
)
def test_sqlite_backup_change_restore_round_trip_while_writes_go_on(tmp_path):
    home = tmp_path / "home"
    db = home / "yrkesbro.sqlite3"
    cli(home, "migrate", "--verbosity", "0")
    cli(home, "shell", "-c", WRITER.replace("sys.argv[1]", "'0.5'"))
    # A writer keeps committing while the backup is taken, as a serving site would.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YRKESBRO_HOME=str(home), DJANGO_SETTINGS_MODULE="yrkesbro.settings")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, "6"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(1)
    archive = tmp_path / "backup.tar"
    cli(home, "backup", str(archive), "--check")
    written = int(writer.communicate(timeout=60)[0].split()[-1])
    assert writer.returncode == 0 and written > 0
    # Take a quiet backup too: this is the state the round trip must give back.
    quiet = tmp_path / "quiet.tar"
    cli(home, "backup", str(quiet))
    before_counts = backup._sqlite_counts(db)
    before = sqlite_checksums(db)
    secret = (home / "secret_key").read_text()
    # Change: more rows, one gone, and a new secret.
    cli(home, "shell", "-c", WRITER.replace("sys.argv[1]", "'0.3'"))
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM organisations_organisation WHERE name = 'Skriver 1'")
    (home / "secret_key").write_text("changed")
    assert sqlite_checksums(db) != before
    refused = cli(home, "restore", str(quiet), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    cli(home, "restore", str(quiet), "--force")
    assert backup._sqlite_counts(db) == before_counts
    assert sqlite_checksums(db) == before
    assert (home / "secret_key").read_text() == secret
    # Into an empty home (a new machine): no --force needed.
    fresh = tmp_path / "fresh"
    cli(fresh, "restore", str(quiet))
    assert sqlite_checksums(fresh / "yrkesbro.sqlite3") == before


def pg_checksums() -> dict[str, str]:
    with connection.cursor() as cursor:
        out = {}
        for t in KEY_TABLES:
            cursor.execute(f'SELECT * FROM "{t}" ORDER BY id')  # noqa: S608
            out[t] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
        return out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_change_restore_round_trip(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; the SQLite round trip runs on SQLite")
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), "--check")
    before = pg_checksums()
    counts = backup._pg_counts(backup._pg_connect(connection.settings_dict))
    OrganisationFactory.create_batch(3)
    Organisation.objects.filter(pk=world.b.org.pk).update(name="Endret")
    assert pg_checksums() != before
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force")
    assert pg_checksums() == before
    assert backup._pg_counts(backup._pg_connect(connection.settings_dict)) == counts
    call_command("restore", str(archive), "--check")


def test_a_file_that_is_not_a_backup_is_refused_in_one_line(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(backup.BackupError, match="not a Yrkesbro backup"):
        backup.verify(junk)
    with pytest.raises(backup.BackupError, match="no backup at"):
        backup.verify(tmp_path / "missing.tar")
