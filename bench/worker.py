"""The worker during the page bench: its memory and how fresh it keeps the public aggregates.

``bench/pages.py`` starts ``yrkesbro worker`` as a subprocess on the bench's database when
it starts measuring (``start``), and at the end reads the worker's resident memory from
/proc (``rss``) and measures its lag (``lag``): the time from a change to the refreshed
aggregate that the pages show as "last refreshed",

- gaps: a published need of the bench municipality changes (its post-save signal
  enqueues ``matching.tasks.refresh_gaps`` for that organisation) until a ``GapRefresh``
  finishes after the change;
- indicators: the same change (the health signal enqueues ``health.tasks.refresh``, which
  waits ``REFRESH_DELAY`` to share one refresh among a burst of changes) until the
  indicators' ``computed_at`` is after the change;
- supply/demand: a school's demand changes through ``vet.services.demand_set`` until the
  ``SupplyDemand`` rows' ``computed_at`` is after the change.

The worker runs its daily sweep when it starts (at national scale that includes
computing the stored matches the seed left to the worker), so the lag is measured once
the queue has nothing due left (``wait_idle``), and the time that took is reported too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

POLL = 0.25  # seconds


def start(log: Path) -> subprocess.Popen[bytes]:
    """``yrkesbro worker`` on the database of this process's environment."""
    exe = Path(sys.executable).with_name("yrkesbro")
    command = [str(exe)] if exe.exists() else [shutil.which("yrkesbro") or "yrkesbro"]
    out = log.open("ab")
    return subprocess.Popen(
        [*command, "worker", "--interval", "0.2"],
        env=dict(os.environ),
        stdout=out,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (MB), from /proc/<pid>/status, with children."""
    figures = {"rss_mb": 0.0, "peak_rss_mb": 0.0}
    for each in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                mb = int(value.split()[0]) / 1024
                figures["rss_mb" if key == "VmRSS" else "peak_rss_mb"] += mb
    return {k: round(v, 1) for k, v in figures.items()}


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _due() -> int:
    """Tasks waiting to run now, or running (deferred ones, like the next heartbeat, not)."""
    from django.db.models import Q
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    return DBTaskResult.objects.filter(
        Q(status="RUNNING")
        | Q(status="READY") & (Q(run_after__isnull=True) | Q(run_after__lte=now))
    ).count()


def wait_idle(timeout: float) -> tuple[float, bool]:
    """Wait until a worker has started (it beats, then queues its start-up sweep) and
    nothing is due; (seconds waited, whether that happened within ``timeout``)."""
    from yrkesbro.core.models import WorkerProcess

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if WorkerProcess.objects.exists():
            break
        time.sleep(0.5)
    time.sleep(2.0)  # the sweep is queued right after the first beat
    while time.perf_counter() - started < timeout:
        if _due() == 0:
            return time.perf_counter() - started, True
        time.sleep(1.0)
    return time.perf_counter() - started, False


def _until(after: datetime, latest: Callable[[], datetime | None], timeout: float) -> float | None:
    """Seconds from ``after`` until ``latest()`` is later than it; None if not within ``timeout``."""
    from django.utils import timezone

    while (elapsed := (timezone.now() - after).total_seconds()) < timeout:
        moment = latest()
        if moment is not None and moment > after:
            return round(elapsed, 2)
        time.sleep(POLL)
    return None


def lag(municipality: int, timeout: float = 180.0) -> dict[str, Any]:
    """Make the changes and time the worker's refreshes (seconds; None = not in time)."""
    from django.db.models import Max
    from django.utils import timezone

    from yrkesbro.accounts.models import User
    from yrkesbro.health.models import IndicatorValue
    from yrkesbro.matching.models import GapRefresh
    from yrkesbro.needs.models import Need, Status, Visibility
    from yrkesbro.organisations.models import Kind, Organisation
    from yrkesbro.vet import services as vet
    from yrkesbro.vet.models import Demand, SupplyDemand

    results: dict[str, Any] = {}
    need = (
        Need.objects.filter(
            organisation_id=municipality, status=Status.PUBLISHED, visibility=Visibility.SHARED
        )
        .order_by("pk")
        .first()
    )
    demand = Demand.objects.select_related("school", "trade").order_by("pk").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()

    changed = timezone.now()
    if need is not None:
        need.people += 1
        need.save()  # what the services' save does; the signals enqueue the refreshes

        def gaps() -> datetime | None:
            return GapRefresh.objects.aggregate(at=Max("finished_at"))["at"]

        def indicators() -> datetime | None:
            return IndicatorValue.objects.aggregate(at=Max("computed_at"))["at"]

        results["gaps_s"] = _until(changed, gaps, timeout)
        results["indicators_s"] = _until(changed, indicators, timeout)
    if demand is not None and admin is not None:
        school = Organisation.objects.get(pk=demand.school_id)
        assert school.kind == Kind.UPPER_SECONDARY_SCHOOL
        changed = timezone.now()
        vet.demand_set(
            actor=admin,
            school=school,
            trade_code=demand.trade.code,
            school_year=demand.school_year,
            yff_pupils=demand.yff_pupils + 1,
            apprenticeship_seekers=demand.apprenticeship_seekers,
        )

        def supply() -> datetime | None:
            return SupplyDemand.objects.aggregate(at=Max("computed_at"))["at"]

        results["supply_demand_s"] = _until(changed, supply, timeout)
    return results


def task_seconds(municipality: int) -> dict[str, float]:
    """How long each refresh takes when it runs (in this process, one run each)."""
    from yrkesbro.health import indicators
    from yrkesbro.matching import gap_tables
    from yrkesbro.vet.tasks import recompute_supply_demand

    out = {}
    for name, run in (
        ("gaps_one_organisation", lambda: gap_tables.refresh(organisations=[municipality])),
        ("indicators", indicators.refresh),
        ("supply_demand", recompute_supply_demand),
    ):
        started = time.perf_counter()
        run()
        out[name] = round(time.perf_counter() - started, 2)
    return out
