from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.models import DBTaskResult

from yrkesbro.core.tasks import ensure_retention_chain, heartbeat


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args: Any, batch: bool, max_tasks: int | None, **options: Any) -> None:
        # One heartbeat chain at a time: start one only if none is waiting.
        waiting = DBTaskResult.objects.filter(
            task_path=heartbeat.module_path, status__in=["READY", "RUNNING"]
        )
        if not waiting.exists():
            heartbeat.enqueue(reschedule=not batch)
        if not batch:
            ensure_retention_chain()
        worker_options: dict[str, Any] = {"queue_name": "*", "reload": False}
        if batch:
            worker_options["batch"] = True
        if max_tasks:
            worker_options["max_tasks"] = max_tasks
        call_command("db_worker", **worker_options, verbosity=options["verbosity"])
