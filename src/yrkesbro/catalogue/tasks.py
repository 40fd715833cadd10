"""Background work for the catalogue: checking and importing uploaded files.

Each task is safe to run twice: it acts only on an upload in the state it expects.
Uploads are deleted after seven days by the retention sweep (``personal_data.py``).
"""

from __future__ import annotations

from django_tasks import task

from yrkesbro.catalogue import uploads


@task()
def check_upload(pk: int) -> str:
    return uploads.run_check(pk)


@task()
def apply_upload(pk: int) -> str:
    return uploads.run_apply(pk)
