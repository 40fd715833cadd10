from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from yrkesbro.core.worker import ResilientWorker


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks database backend). It waits out database "
        "outages, requeues tasks left by a stopped worker and keeps the daily sweep scheduled."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(
        self, *args: Any, batch: bool, max_tasks: int | None, interval: float, **options: Any
    ) -> None:
        worker = ResilientWorker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run_forever()
