"""Backups that restore: one archive per backup, for SQLite and PostgreSQL.

A backup is a tar file holding ``manifest.json`` (engine, time, version and the
row count of every table), the database, and on the embedded SQLite setup the
instance secret (``$YRKESBRO_HOME/secret_key``), without which sessions and
password-reset links of the restored copy would not match.

- SQLite: the online backup API copies a consistent snapshot while the site
  serves (a plain file copy can miss writes still in the WAL).
- PostgreSQL: ``pg_dump --format=custom`` from an exported snapshot, the same
  snapshot the row counts are read from, so the counts match the dump exactly.

``verify`` restores an archive into a scratch database (a temporary file, or
a temporary PostgreSQL database) and compares the row counts with the
manifest. ``restore`` refuses to overwrite a database that holds Yrkesbro data
unless forced.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

from yrkesbro import __version__

FORMAT = 1
MANIFEST = "manifest.json"
SECRET = "secret_key"  # noqa: S105 - the name of the file in the archive, not a secret
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in one line."""


def _db(alias: str = "default") -> dict[str, Any]:
    return connections[alias].settings_dict


def engine(db: dict[str, Any]) -> str:
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        return "sqlite"
    if vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")


# -- SQLite -------------------------------------------------------------------


def _sqlite_counts(path: Path | str) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 - names from the catalogue


def _sqlite_copy(source: Path | str, target: Path | str) -> None:
    """Copy with SQLite's online backup API: consistent while others read and write."""
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)


# -- PostgreSQL -----------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any], name: str | None = None) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return [*args, "--dbname", name or str(db["NAME"])]


def _pg_connect(db: dict[str, Any], name: str | None = None) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=name or db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def _pg_counts(conn: Any) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ]
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 - names from the catalogue


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    except FileNotFoundError as exc:
        raise BackupError(
            f"{cmd[0]} not found: install the PostgreSQL client (Debian: postgresql-client)"
        ) from exc
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise BackupError(f"{Path(cmd[0]).name} failed: {last}")


@contextlib.contextmanager
def _pg_scratch(db: dict[str, Any]) -> Iterator[str]:
    """A temporary database next to the live one, dropped afterwards."""
    name = f"{db['NAME']}_check_{secrets.token_hex(4)}"[:63]
    with _pg_connect(db) as admin:
        admin.autocommit = True
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _pg_connect(db) as admin:
            admin.autocommit = True
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


# -- the archive ----------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def backup(path: Path, *, alias: str = "default") -> dict[str, Any]:
    """Write a backup archive to ``path``; returns its manifest."""
    db = _db(alias)
    kind = engine(db)
    connections[alias].close()
    with tempfile.TemporaryDirectory(prefix="yrkesbro-backup-") as tmp:
        if kind == "sqlite":
            dump = Path(tmp) / SQLITE_FILE
            _sqlite_copy(db["NAME"], dump)
            counts = _sqlite_counts(dump)
        else:
            dump = Path(tmp) / PG_FILE
            with _pg_connect(db) as conn:
                # The counts and the dump read the same snapshot.
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
                counts = _pg_counts(conn)
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(dump),
                        *_pg_args(db),
                    ],
                    _pg_env(db),
                )
                conn.rollback()
        manifest = {
            "format": FORMAT,
            "engine": kind,
            "created_at": timezone.now().isoformat(),
            "version": __version__,
            "counts": counts,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            _add(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            tar.add(dump, arcname=dump.name, filter=_private)
            secret = settings.HOME / SECRET
            if kind == "sqlite" and secret.exists():
                _add(tar, SECRET, secret.read_bytes())
        partial.chmod(0o600)
        partial.replace(path)  # a half-written backup never has the final name
    return manifest


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[dict[str, Any], Path, bytes | None]]:
    """The manifest, the unpacked database file and the secret of an archive."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    try:
        tar = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with tar` below
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not a Yrkesbro backup ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="yrkesbro-restore-") as tmp:
        names = set(tar.getnames())
        if MANIFEST not in names:
            raise BackupError(f"{path} is not a Yrkesbro backup (no manifest)")
        manifest = json.loads(_read(tar, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        member = SQLITE_FILE if manifest["engine"] == "sqlite" else PG_FILE
        if member not in names:
            raise BackupError(f"{path} is incomplete (no {member})")
        target = Path(tmp) / member
        target.write_bytes(_read(tar, member))
        secret = _read(tar, SECRET) if SECRET in names else None
        yield manifest, target, secret


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(name)
    if handle is None:
        raise BackupError(f"{name} in the backup is not a file")
    return handle.read()


def _compare(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{table}: {expected.get(table)} in the manifest, {found.get(table)} restored"
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]


def verify(path: Path, *, alias: str = "default") -> dict[str, Any]:
    """Restore ``path`` into a scratch database and compare row counts; raises on a mismatch."""
    db = _db(alias)
    with _opened(path) as (manifest, dump, _secret):
        if manifest["engine"] == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                scratch = Path(tmp) / "check.sqlite3"
                _sqlite_copy(dump, scratch)
                with contextlib.closing(sqlite3.connect(scratch)) as conn:
                    ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
                if ok != "ok":
                    raise BackupError(f"the SQLite copy is damaged: {ok}")
                found = _sqlite_counts(scratch)
        else:
            if engine(db) != "postgresql":
                raise BackupError("checking a PostgreSQL backup needs DATABASE_URL to a server")
            with _pg_scratch(db) as name:
                _run(
                    ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                     *_pg_args(db, name), str(dump)],
                    _pg_env(db),
                )  # fmt: skip
                with _pg_connect(db, name) as conn:
                    found = _pg_counts(conn)
    problems = _compare(manifest["counts"], found)
    if problems:
        raise BackupError("the backup does not restore as recorded: " + "; ".join(problems))
    return manifest


def holds_data(alias: str = "default") -> bool:
    """Whether the database holds any Yrkesbro rows (a fresh, migrated one does not)."""
    from django.db import DatabaseError

    for model in apps.get_models():
        if not model.__module__.startswith("yrkesbro."):
            continue
        try:
            if model._default_manager.using(alias).exists():
                return True
        except DatabaseError:
            # The table does not exist (an empty or older database).
            connections[alias].close()
            continue
    return False


def restore(path: Path, *, force: bool = False, alias: str = "default") -> dict[str, Any]:
    """Replace the database with the backup at ``path``; refuses a non-empty one unless forced."""
    db = _db(alias)
    kind = engine(db)
    with _opened(path) as (manifest, dump, secret):
        if manifest["engine"] != kind:
            raise BackupError(f"this is a {manifest['engine']} backup and the database is {kind}")
        if not force and holds_data(alias):
            raise BackupError(
                "the database already holds data; restore with --force to overwrite it"
            )
        connections[alias].close()
        if kind == "sqlite":
            _sqlite_copy(dump, db["NAME"])
            if secret is not None and not os.environ.get("SECRET_KEY"):
                target = settings.HOME / SECRET
                target.write_bytes(secret)
                target.chmod(0o600)
        else:
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--single-transaction", "--exit-on-error", *_pg_args(db), str(dump)],
                _pg_env(db),
            )  # fmt: skip
    connections[alias].close()
    return manifest
