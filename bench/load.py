"""Load and fault test: 50 users against a real server, with a database outage and a hard stop.

    .venv/bin/python bench/load.py                                  # SQLite, 60 s, hard stop
    .venv/bin/python bench/load.py --database-url postgres://yrkesbro:yrkesbro@127.0.0.1:5432/yrkesbro

Loopback only, bounded in time. It builds a scratch instance (a temporary
YRKESBRO_HOME, and on PostgreSQL a scratch database `<name>_load_<pid>` that is
dropped afterwards), loads the demo, starts `yrkesbro serve` (gunicorn, 2
processes) and `yrkesbro worker`, and runs locust headless (`bench/locustfile.py`):
half the users read pages and the API, half record needs with unique markers.

Faults (`--faults`, default all that apply):
- `db-outage` (PostgreSQL): at one third of the run, the scratch database refuses
  new connections and every open one is terminated, for `--outage` seconds, as in a
  restart. Only the scratch database is touched: the server itself, shared with
  others, is never restarted.
- `hard-stop`: at two thirds, the web server and the worker are killed (SIGKILL)
  and started again.

It prints requests, responses by status, p50/p95, acknowledged writes, lost writes
(acknowledged but not in the database), duplicates (a marker stored twice), whether
the worker still runs, and tasks left RUNNING without a live worker.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Instance:
    def __init__(self, database_url: str | None, port: int) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="yb-load-"))
        self.port = port
        self.server_url = database_url
        self.scratch = None
        self.env = {**os.environ, "YRKESBRO_HOME": str(self.home), "YRKESBRO_MODE": "demo"}
        self.env.pop("DATABASE_URL", None)
        self.env["LOG_LEVEL"] = "WARNING"
        if database_url:
            parts = urlsplit(database_url)
            self.scratch = f"{parts.path.lstrip('/')}_load_{os.getpid()}"
            self.url = urlunsplit(parts._replace(path=f"/{self.scratch}"))
            self.env["DATABASE_URL"] = self.url
            with self.admin() as conn:
                conn.execute(f'CREATE DATABASE "{self.scratch}"')
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.logs = open(self.home / "processes.log", "ab")  # noqa: SIM115 - closed in stop()

    def admin(self, dbname: str | None = None) -> Any:
        import psycopg

        assert self.server_url
        conn = psycopg.connect(self.server_url if dbname is None else self.url, autocommit=True)
        return conn

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "yrkesbro"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"yrkesbro {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        return result.stdout

    def start(self) -> None:
        self.web = subprocess.Popen(
            [str(BIN / "yrkesbro"), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            env=self.env, stdout=self.logs, stderr=self.logs, start_new_session=True,
        )  # fmt: skip
        self.worker = subprocess.Popen(
            [str(BIN / "yrkesbro"), "worker"],
            env=self.env, stdout=self.logs, stderr=self.logs, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise SystemExit(f"the server exited; see {self.home / 'processes.log'}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise SystemExit("the server did not start within 60 s")

    def kill(self) -> None:
        for proc in (self.web, self.worker):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        self.logs.close()
        if self.scratch:
            with self.admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.scratch}" WITH (FORCE)')

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.scratch:
            with self.admin(self.scratch) as conn:
                return list(conn.execute(sql).fetchall())
        with sqlite3.connect(self.home / "yrkesbro.sqlite3", timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    def outage(self, seconds: float) -> None:
        """The scratch database refuses connections and drops every open one, then comes back."""
        with self.admin() as conn:
            conn.execute(f'ALTER DATABASE "{self.scratch}" ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [self.scratch],
            )
            time.sleep(seconds)
            conn.execute(f'ALTER DATABASE "{self.scratch}" ALLOW_CONNECTIONS true')


def at(delay: float, action: Callable[[], None], name: str, done: list[str]) -> threading.Thread:
    def run() -> None:
        time.sleep(delay)
        log(f"fault: {name}")
        action()
        done.append(name)
        log(f"fault over: {name}")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def percentiles(stats_csv: Path) -> dict[str, Any]:
    with stats_csv.open(encoding="utf-8") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "writes_p95_ms": float(rows.get("api POST /needs", total)["95%"]),
        "healthz_p95_ms": float(rows["healthz"]["95%"]) if "healthz" in rows else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL server to create a scratch database on")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--outage", type=float, default=8.0, help="seconds the database is away")
    parser.add_argument("--faults", default="all", help="all, none, db-outage, hard-stop")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    faults = {"db-outage", "hard-stop"} if args.faults == "all" else set(args.faults.split(","))
    faults.discard("none")
    if not args.database_url:
        faults.discard("db-outage")

    if not args.port:
        # A free loopback port, so a shared machine's other servers are never hit.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            args.port = s.getsockname()[1]
    inst = Instance(args.database_url, args.port)
    kind = "PostgreSQL" if args.database_url else "SQLite"
    log(f"{kind} scratch instance in {inst.home}; loading the demo")
    try:
        inst.cli("demo", "--no-serve")
        token = inst.cli("token", "create", "demo-kommune", "--name", "load").strip()
        org = inst.query(
            "SELECT m.organisation_id FROM accounts_membership m JOIN accounts_user u "
            "ON u.id = m.user_id WHERE u.username = 'demo-kommune' AND m.role = 'admin'"
        )[0][0]
        inst.start()
        import urllib.request

        probe = urllib.request.Request(
            f"http://127.0.0.1:{args.port}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(probe, timeout=30) as answer:  # noqa: S310 - loopback
            log(f"token works: {answer.status} {answer.read()[:80]!r}")
        log(
            f"serving on 127.0.0.1:{args.port}; {args.users} users for {args.duration} s; faults: {sorted(faults) or 'none'}"
        )
        done: list[str] = []
        survived: list[bool] = []
        threads = []
        if "db-outage" in faults:
            threads.append(
                at(args.duration / 3, lambda: inst.outage(args.outage), "db-outage", done)
            )
        if "hard-stop" in faults:

            def hard_stop() -> None:
                # Did the worker live through the database outage (it must never exit on one)?
                survived.append(inst.worker is not None and inst.worker.poll() is None)
                inst.kill()
                time.sleep(2)
                inst.start()

            threads.append(at(2 * args.duration / 3, hard_stop, "hard-stop", done))
        out = inst.home / "locust"
        acks, statuses = inst.home / "acks.json", inst.home / "statuses.json"
        subprocess.run(
            [
                str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "--users", str(args.users), "--spawn-rate", str(max(args.users // 5, 1)),
                "--run-time", f"{args.duration}s", "--host", f"http://127.0.0.1:{args.port}",
                "--csv", str(out), "--only-summary", "--stop-timeout", "20", "--loglevel", "ERROR",
            ],
            env={**inst.env, "YB_TOKEN": token, "YB_ORG": str(org), "YB_ACKS": str(acks),
                 "YB_STATUSES": str(statuses)},
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for thread in threads:
            thread.join(timeout=60)
        acked = json.loads(acks.read_text())
        stored = [
            row[0] for row in inst.query("SELECT unit FROM needs_need WHERE unit LIKE 'load-%'")
        ]
        lost = sorted(set(acked) - set(stored))
        duplicates = len(stored) - len(set(stored))
        # Give the worker its lease to recover anything the hard stop left RUNNING.
        orphaned = None
        for _ in range(30):
            orphaned = inst.query(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult t WHERE t.status = 'RUNNING'"
            )[0][0]
            if orphaned == 0:
                break
            time.sleep(5)
        worker_alive = inst.worker is not None and inst.worker.poll() is None
        summary = {
            "database": kind,
            "users": args.users,
            "seconds": args.duration,
            "faults": done,
            **percentiles(Path(f"{out}_stats.csv")),
            "by_status": dict(sorted(json.loads(statuses.read_text()).items())),
            "acknowledged_writes": len(acked),
            "lost_writes": len(lost),
            "duplicates": duplicates,
            "worker_survived_outage": survived[0] if survived and "db-outage" in done else None,
            "worker_running": worker_alive,
            "tasks_left_running": orphaned,
        }
        print(json.dumps(summary, indent=2))
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        (results / f"load-{kind.lower()}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
            json.dumps(summary, indent=2)
        )
        ok = not lost and not duplicates and "500" not in summary["by_status"] and worker_alive
        return 0 if ok else 1
    finally:
        inst.stop()


if __name__ == "__main__":
    sys.exit(main())
