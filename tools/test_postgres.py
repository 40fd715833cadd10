"""Run the test suite on PostgreSQL, or explain in one line why it cannot.

Outside CI a missing PostgreSQL skips this run; with CI=true it fails.
The server is found through TEST_POSTGRES_URL (default: the role and database
that .ci/run creates).
"""

from __future__ import annotations

import os
import sys

import psycopg

DEFAULT_URL = "postgres://yrkesbro:yrkesbro@127.0.0.1:5432/yrkesbro"


def main() -> int:
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL)
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        # pytest-django creates test_<name> from the maintenance database.
        conninfo = psycopg.conninfo.make_conninfo(
            url.replace("postgres://", "postgresql://"), dbname="postgres"
        )
        with psycopg.connect(conninfo, connect_timeout=5):
            pass
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"PostgreSQL run skipped: cannot connect to {url} ({reason})", file=sys.stderr)
        return 1 if in_ci else 0
    env = {**os.environ, "DATABASE_URL": url}
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *sys.argv[1:]]
    print("Running the suite on PostgreSQL", flush=True)
    os.execve(sys.executable, args, env)  # noqa: S606 - our own interpreter and arguments
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
