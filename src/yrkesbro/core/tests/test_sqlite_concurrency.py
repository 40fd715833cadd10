"""The embedded SQLite never answers "database is locked" at the concurrency the demo serves.

WAL lets readers and one writer work at once, ``BEGIN IMMEDIATE`` takes the
write lock at the start of a transaction (a read that later upgrades to a write
cannot fail half-way), and the busy timeout (20 s) is longer than a request, so
a writer waits its turn instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

WRITER = """
import sys, time
import django
django.setup()
from django.db import transaction
from yrkesbro.core import audit
from yrkesbro.organisations.models import Kind, Organisation
name, start, rounds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
errors = 0
for i in range(rounds):
    try:
        with transaction.atomic():
            # Read, then write: in a deferred transaction this upgrade is what fails.
            n = Organisation.objects.filter(kind=Kind.COMPANY).count()
            org = Organisation.objects.create(name=f"{name}-{i}-{n}", kind=Kind.COMPANY)
            audit.record(actor=None, action="test.write", obj=org, organisation=org)
    except Exception as exc:
        errors += 1
        print("error", type(exc).__name__, exc, file=sys.stderr, flush=True)
print(errors, flush=True)
"""

WRITERS = 6  # more than the demo's two web workers plus its worker
ROUNDS = 40


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite only")
def test_concurrent_writers_never_see_database_is_locked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(YRKESBRO_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="yrkesbro.settings")
    subprocess.run(
        [sys.executable, "-m", "yrkesbro.cli", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    start = time.time() + 4  # let every process finish importing Django first
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{n}", str(start), str(ROUNDS)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for (out, err), proc in zip(results, procs, strict=True):
        assert proc.returncode == 0, err[-2000:]
        assert out.strip() == "0", err[-2000:]
    with sqlite3.connect(tmp_path / "yrkesbro.sqlite3") as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        written = conn.execute(
            "SELECT COUNT(*) FROM organisations_organisation WHERE kind = 'company'"
        ).fetchone()[0]
        audited = conn.execute(
            "SELECT COUNT(*) FROM core_auditentry WHERE action = 'test.write'"
        ).fetchone()[0]
    assert mode == "wal"
    assert written == audited == WRITERS * ROUNDS
