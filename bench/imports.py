"""Import benchmark: a 50,000-row programme file and a 50,000-row offering file, timed.

    .venv/bin/python bench/imports.py [--rows 50000] [--format csv|xlsx]

Uses a throw-away SQLite database in a temporary YRKESBRO_HOME unless
DATABASE_URL is set (then it runs there: use a scratch database, as it adds the
rows and leaves them). Builds the files with synthetic but realistic rows
(descriptions of a few hundred characters, Norwegian words for the search
index), then runs the same code as ``yrkesbro import``: read and check
(``parse``), then write (``apply``). Prints the seconds of each phase and the
peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time

WORDS = [
    "demens",
    "omsorg",
    "helse",
    "eldre",
    "rehabilitering",
    "velferdsteknologi",
    "psykisk",
    "rus",
    "barn",
    "oppvekst",
    "veiledning",
    "kommunikasjon",
    "palliasjon",
    "legemidler",
    "ernæring",
    "kvalitet",
    "ledelse",
    "samhandling",
    "pasient",
    "pårørende",
    "tverrfaglig",
    "praksis",
]


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["YRKESBRO_HOME"] = tempfile.mkdtemp(prefix="yb-bench-imports-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.organisations.reference import load_all
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_all()
    load_national_plans()
    load_competence_areas()


def _text(i: int, n: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def _file(header: list[str], rows: list[list[object]], fmt: str) -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("cp1252", errors="replace")


def build_files(n: int, fmt: str) -> tuple[bytes, bytes]:
    from yrkesbro.catalogue.importer import OFFERING_COLUMNS, PROGRAMME_COLUMNS
    from yrkesbro.catalogue.models import SCHOOL_KINDS, NationalPlan
    from yrkesbro.organisations.models import Organisation

    schools = list(
        Organisation.objects.filter(kind__in=SCHOOL_KINDS)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    plans = list(NationalPlan.objects.values_list("code", flat=True))
    programmes = [
        [
            f"BENCH-{i}",
            schools[i % len(schools)],
            plans[i % len(plans)],
            f"{_text(i, 3).capitalize()} {i}",
            60,
            "5.1",
            _text(i, 30),
            _text(i + 1, 12),
            _text(i + 2, 12),
            _text(i + 3, 12),
        ]
        for i in range(n)
    ]
    offerings = [
        [
            f"BENCH-O{i}",
            f"BENCH-{i}",
            "",
            "",
            "online",
            "part-time",
            "2027-08-16",
            4,
            20,
            "state-funded",
            0,
        ]
        for i in range(n)
    ]
    return (
        _file(list(PROGRAMME_COLUMNS), programmes, fmt),
        _file(list(OFFERING_COLUMNS), offerings, fmt),
    )


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from yrkesbro.catalogue import importer

    programmes, offerings = build_files(args.rows, args.format)
    print(f"database: {connection.vendor}; {args.rows:,} rows per file, {args.format}")
    print(
        f"files: programmes {len(programmes) / 1e6:.1f} MB, offerings {len(offerings) / 1e6:.1f} MB"
    )
    print(f"peak memory before importing: {peak_mb():.0f} MB")
    for kind, data in (("programmes", programmes), ("offerings", offerings)):
        started, cpu_started = time.perf_counter(), time.process_time()
        parsed = importer.parse(kind, data, f"bench.{args.format}")
        checked, cpu_checked = time.perf_counter(), time.process_time()
        if parsed.errors:
            sys.exit(f"{kind}: {len(parsed.errors)} errors, first: {parsed.errors[0]}")
        report = importer.apply(parsed, actor=None)
        written, cpu_written = time.perf_counter(), time.process_time()
        print(
            f"{kind:<11} read+check {checked - started:6.1f} s   write {written - checked:6.1f} s"
            f"   total {written - started:6.1f} s   ({report.created:,} new)"
            f"   peak memory {peak_mb():.0f} MB"
        )
        # On a shared machine the wall clock measures the neighbours; CPU time does not.
        print(
            f"{'':<11} CPU time: read+check {cpu_checked - cpu_started:6.1f} s"
            f"   write {cpu_written - cpu_checked:6.1f} s   (load average {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
