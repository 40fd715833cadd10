"""The catalogue import as a web upload for a school's editors: check first, then confirm.

``upload_start`` stores the file and has the worker check it (``tasks.check_upload``):
every row error is listed and nothing is imported while there is one. A clean file waits
for ``upload_confirm``, and the worker then imports it (``tasks.apply_upload``) with the
same ``importer.apply`` as ``yrkesbro import``. Only a school's editors and admins may
upload, and only rows of their own school pass the check (``importer.check_school``).
The progress (rows checked) is stored on the ``CatalogueImport`` the page polls.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesbro.catalogue import importer
from yrkesbro.catalogue.models import SCHOOL_KINDS, CatalogueImport, ImportStatus
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.policies import Actor, Capability, has_capability, is_platform_admin
from yrkesbro.organisations.models import Organisation

KINDS = ("programmes", "offerings")
MAX_BYTES = importer.MAX_BYTES


def may_upload(actor: Actor, school: Organisation) -> bool:
    return school.kind in SCHOOL_KINDS and has_capability(actor, Capability.EDIT_CONTENT, school)


def visible_uploads(actor: Actor) -> Any:
    """The uploads of the schools where ``actor`` is an editor (every one for platform admins)."""
    from yrkesbro.core.policies import organisation_ids_with

    qs = CatalogueImport.objects.select_related("school")
    if is_platform_admin(actor):
        return qs
    return qs.filter(school__in=organisation_ids_with(actor, Capability.EDIT_CONTENT))


def upload_start(
    *, actor: Actor, school: Organisation, kind: str, filename: str, data: bytes
) -> CatalogueImport:
    """Keep the file and have the worker check it."""
    if not may_upload(actor, school):
        raise NotAllowed(_("Only the school's editors can import into its catalogue."))
    if kind not in KINDS:
        raise DomainError(_("Choose programmes or offerings."), field="kind")
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // 1_000_000}, field="file"
        )
    with transaction.atomic():
        upload = CatalogueImport.objects.create(
            school=school,
            created_by=actor,  # type: ignore[misc]  # may_upload: a signed-in user
            kind=kind,
            filename=filename[:200],
            data=data,
        )
        audit.record(
            actor=actor,
            action="catalogue_import.upload",
            obj=upload,
            organisation=school,
            after={"kind": kind, "filename": upload.filename, "bytes": len(data)},
        )
        transaction.on_commit(lambda: _enqueue("check_upload", upload.pk))
    return upload


def upload_confirm(*, actor: Actor, upload: CatalogueImport) -> CatalogueImport:
    """Import a checked file (the worker does it; the page shows when it is done)."""
    if not may_upload(actor, upload.school):
        raise NotAllowed(_("Only the school's editors can import into its catalogue."))
    with transaction.atomic():
        locked = CatalogueImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != ImportStatus.CHECKED:
            raise DomainError(_("Only a checked file without errors can be imported."))
        locked.status = ImportStatus.IMPORTING
        locked.done = 0
        locked.save(update_fields=["status", "done", "updated_at"])
        audit.record(
            actor=actor,
            action="catalogue_import.confirm",
            obj=locked,
            organisation=locked.school,
            after={"kind": locked.kind, "filename": locked.filename, "rows": locked.rows},
        )
        transaction.on_commit(lambda: _enqueue("apply_upload", locked.pk))
    return locked


def _enqueue(name: str, pk: int) -> None:
    from yrkesbro.catalogue import tasks

    getattr(tasks, name).enqueue(pk)


def _progress(pk: int) -> Any:
    """A callback that stores the rows done (its own short write, visible to the page)."""

    def update(done: int) -> None:
        CatalogueImport.objects.filter(pk=pk).update(done=done, updated_at=timezone.now())

    return update


def _parse(upload: CatalogueImport) -> importer.Parsed:
    def rows(n: int) -> None:
        CatalogueImport.objects.filter(pk=upload.pk).update(rows=n)

    parsed = importer.parse(
        upload.kind,
        bytes(upload.data),
        upload.filename,
        rows=rows,
        progress=_progress(upload.pk),
    )
    importer.check_school(parsed, upload.school)  # rows without other errors
    return parsed


def _errors(parsed: importer.Parsed) -> list[dict[str, Any]]:
    return [{"row": e.row, "column": e.column, "message": str(e.message)} for e in parsed.errors]


def run_check(pk: int) -> str:
    """Check the file of upload ``pk`` (the worker's step one). Safe to run twice."""
    upload = CatalogueImport.objects.select_related("school").filter(pk=pk).first()
    if upload is None or upload.status != ImportStatus.CHECKING:
        return "skipped"
    parsed = _parse(upload)
    upload.errors = _errors(parsed)
    upload.read_as = parsed.read_as[:100]
    upload.refresh_from_db(fields=["rows"])
    upload.done = upload.rows
    upload.status = ImportStatus.INVALID if parsed.errors else ImportStatus.CHECKED
    upload.save(update_fields=["errors", "read_as", "rows", "done", "status", "updated_at"])
    return str(upload.status)


def run_apply(pk: int) -> str:
    """Import the file of upload ``pk`` (step two, after the confirmation). Safe to run twice:
    only an upload still marked as being imported is imported."""
    upload = CatalogueImport.objects.select_related("school", "created_by").filter(pk=pk).first()
    if upload is None or upload.status != ImportStatus.IMPORTING:
        return "skipped"
    parsed = _parse(upload)  # again: the catalogue may have changed since the check
    try:
        if parsed.errors:
            raise DomainError(_("The file has errors; nothing was imported."))
        report = importer.apply(parsed, actor=upload.created_by)
    except DomainError as exc:
        upload.status = ImportStatus.FAILED
        upload.errors = _errors(parsed) or [{"row": 0, "column": "", "message": str(exc.message)}]
        upload.save(update_fields=["status", "errors", "updated_at"])
        return str(upload.status)
    upload.status = ImportStatus.DONE
    upload.report = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    upload.done = len(parsed.rows)
    upload.data = b""  # the file is no longer needed
    upload.save(update_fields=["status", "report", "done", "data", "updated_at"])
    return str(upload.status)
