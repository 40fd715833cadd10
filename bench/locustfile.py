"""Locust users for `bench/load.py`: half read pages and the API, half record needs.

Every write carries a unique marker in the need's unit and the same marker as its
``Idempotency-Key``; a writer that gets a 503 or loses its connection retries with
the same key (backoff up to 8 s), as a careful client would. A write counts as
acknowledged when a 201 came back. Acknowledged markers and every response status
are written to the files named by YB_ACKS and YB_STATUSES when the run ends.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

TOKEN = os.environ["YB_TOKEN"]
ORG = int(os.environ["YB_ORG"])
ACKED: list[str] = []
STATUSES: Counter[str] = Counter()
RETRY_ON = {0, 502, 503, 504}


@events.request.add_listener
def count_status(response=None, exception=None, **kwargs):  # type: ignore[no-untyped-def]
    status = getattr(response, "status_code", 0) or 0
    STATUSES[str(status)] += 1


@events.quitting.add_listener
def write_results(environment, **kwargs):  # type: ignore[no-untyped-def]
    with open(os.environ["YB_ACKS"], "w", encoding="utf-8") as fh:
        json.dump(ACKED, fh)
    with open(os.environ["YB_STATUSES"], "w", encoding="utf-8") as fh:
        json.dump(dict(STATUSES), fh)


class Reader(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="page /")

    @task(2)
    def needs_api(self) -> None:
        self.client.get(
            "/api/v1/needs?limit=10",
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="api GET /needs",
        )

    @task(1)
    def catalogue(self) -> None:
        self.client.get("/catalogue/", name="page /catalogue/")

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class Writer(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    @task
    def record_need(self) -> None:
        marker = f"load-{uuid.uuid4().hex}"
        body = {
            "organisation_id": ORG,
            "areas": ["demens"],
            "unit": marker,
            "people": 3,
            "deadline": (dt.date.today() + dt.timedelta(days=200)).isoformat(),
        }
        headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": marker}
        for attempt in range(8):
            with self.client.post(
                "/api/v1/needs", json=body, headers=headers, name="api POST /needs",
                catch_response=True,
            ) as response:  # fmt: skip
                status = response.status_code or 0
                if status == 201:
                    ACKED.append(marker)
                    response.success()
                    return
                if status in RETRY_ON:
                    response.failure(f"{status}, retrying")
                    time.sleep(min(2**attempt, 8))
                    continue
                response.failure(f"{status}: {response.text[:200]}")
                return
