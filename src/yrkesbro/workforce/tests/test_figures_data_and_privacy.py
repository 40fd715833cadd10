"""Public figures equal a brute-force count and hide under the threshold; the employer's
effect; CSV/XLSX import (all or nothing, row errors) and export; the person's export,
deletion by the organisation administrator, and retention run twice."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.test import Client
from django.utils import timezone

from yrkesbro.core import personal_data
from yrkesbro.core.errors import NotAllowed
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.tasks import retention_sweep
from yrkesbro.workforce import privacy, selectors, services, spreadsheet, tasks
from yrkesbro.workforce.models import (
    DeletionRequest,
    Employee,
    Enrolment,
    EnrolmentStatus,
    ProgrammeOutcome,
)
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _population(wf: Wf, seed: int, n: int) -> None:
    """n enrolments on two programmes with random endings and outcomes."""
    rng = random.Random(seed)
    a = wf.s.world.a
    for i in range(n):
        employee = services.employee_create(
            actor=a.editor, organisation=a.org, data={"full_name": f"Person {i}"}
        )
        enrolment = services.enrolment_create(
            actor=a.editor,
            organisation=a.org,
            employee=employee,
            programme=rng.choice([wf.s.dementia, wf.s.cancer]),
            enrolled_on=TODAY - dt.timedelta(days=rng.randint(400, 800)),
        )
        fate = rng.random()
        if fate < 0.6:
            services.enrolment_complete(
                actor=a.editor,
                enrolment=enrolment,
                ended_on=TODAY - dt.timedelta(days=rng.randint(0, 300)),
            )
            if rng.random() < 0.8:
                services.outcome_record(
                    actor=a.editor,
                    enrolment=enrolment,
                    data={
                        "tasks": rng.choice([[], ["new_tasks"], ["guidance", "quality"]]),
                        "job_group_before": "fagbrev",
                        "job_group_after": rng.choice(["", "fagbrev", "fagbrev_fagskole"]),
                    },
                )
        elif fate < 0.75:
            services.enrolment_interrupt(
                actor=a.editor, enrolment=enrolment, ended_on=TODAY, reason="family"
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_public_figures_equal_a_brute_force_count(wf: Wf, seed: int) -> None:
    _population(wf, seed, 24)
    tasks.refresh_now()
    assert tasks.refresh_now() == ProgrammeOutcome.objects.count()  # twice: same rows
    for programme in (wf.s.dementia, wf.s.cancer):
        rows = list(Enrolment.objects.filter(programme=programme))
        completed = [e for e in rows if e.status == EnrolmentStatus.COMPLETED]
        ended = [e for e in rows if e.status != EnrolmentStatus.ENROLLED]
        outcomes = [getattr(e, "outcome", None) for e in completed]
        new_tasks = sum(1 for o in outcomes if o and (o.tasks or o.tasks_text))
        new_group = sum(
            1
            for o in outcomes
            if o and o.job_group_after and o.job_group_after != o.job_group_before
        )
        body = Client().get(f"/api/v1/programmes/{programme.pk}/outcomes").json()
        assert set(body) == {
            "completions",
            "completion_rate",
            "share_new_tasks",
            "share_new_job_group",
        }
        if len(completed) < 5:
            assert body == dict.fromkeys(body)
        else:
            assert body["completions"] == len(completed)
            assert body["completion_rate"] == round(len(completed) / len(ended), 3)
            assert body["share_new_tasks"] == round(new_tasks / len(completed), 3)
            assert body["share_new_job_group"] == round(new_group / len(completed), 3)


def test_under_the_threshold_figures_are_null_and_the_page_says_why(wf: Wf) -> None:
    _population(wf, 9, 3)
    tasks.refresh_now()
    body = Client().get(f"/api/v1/programmes/{wf.s.dementia.pk}/outcomes").json()
    assert body == {
        "completions": None,
        "completion_rate": None,
        "share_new_tasks": None,
        "share_new_job_group": None,
    }
    page = Client().get(wf.s.dementia.get_absolute_url()).content.decode()
    assert "Tall vises når minst 5 fullføringer ligger bak dem." in page


def test_figures_refresh_after_commit_via_the_worker_task(
    wf: Wf, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # The immediate task backend runs the refresh enqueued on commit.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _population(wf, 4, 12)
    assert callbacks
    row = ProgrammeOutcome.objects.get(programme=wf.s.dementia)
    assert (
        row.completions
        == Enrolment.objects.filter(
            programme=wf.s.dementia, status=EnrolmentStatus.COMPLETED
        ).count()
    )


def test_effect_counts_by_year_and_service_area(wf: Wf) -> None:
    _population(wf, 5, 15)
    figures = selectors.effect(wf.s.world.a.editor, wf.s.world.a.org)
    all_rows = list(Enrolment.objects.filter(organisation=wf.s.world.a.org))
    assert figures.totals.enrolled == len(all_rows)
    assert figures.totals.completed == sum(e.status == "completed" for e in all_rows)
    assert figures.totals.interrupted == sum(e.status == "interrupted" for e in all_rows)
    assert selectors.effect(wf.s.world.b.editor, wf.s.world.a.org).totals.enrolled == 0
    client = Client()
    client.force_login(wf.s.world.a.editor)
    page = client.get(f"/workforce/org/{wf.s.world.a.org.pk}/effect/").content.decode()
    assert "<svg" in page and "<table" in page


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(spreadsheet.COLUMNS)] + [",".join(r) for r in rows]
    return "\n".join(lines).encode()


def test_import_is_all_or_nothing_with_row_errors(wf: Wf) -> None:
    a = wf.s.world.a
    p = str(wf.s.dementia.pk)
    bad = _csv(
        [
            ["Ny Person", "ny@example.test", "health", "", p, "2025-01-10", "enrolled", "", ""],
            ["Feil Dato", "", "health", "", p, "10.01.2025", "enrolled", "", ""],
            ["Ingen Utdanning", "", "health", "", "99999999999999999999", "2025-01-10", "", "", ""],
            ["Før Start", "", "health", "", p, "2025-01-10", "completed", "2024-01-01", ""],
        ]
    )
    result = spreadsheet.import_enrolments(actor=a.editor, organisation=a.org, data=bad)
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "enrolled_on"),
        (4, "programme_id"),
        (5, "ended_on"),
    ]
    assert result.created == 0 and not Enrolment.objects.exists()
    assert not Employee.objects.filter(full_name="Ny Person").exists()
    good = _csv(
        [
            [
                "Ny Person",
                "ny@example.test",
                "health",
                "Sykehjem",
                p,
                "2025-01-10",
                "completed",
                "2025-12-01",
                "",
            ],
            [
                "Vera Viewer",
                "",
                "health",
                "",
                p,
                "2025-02-10",
                "interrupted",
                "2025-03-01",
                "health",
            ],
        ]
    )
    result = spreadsheet.import_enrolments(actor=a.editor, organisation=a.org, data=good)
    assert result.errors == [] and result.created == 2
    assert Employee.objects.filter(full_name="Vera Viewer").count() == 1  # found, not duplicated
    exported = spreadsheet.export_csv(spreadsheet.enrolments_for_export(a.editor, a.org))
    text = exported.decode("utf-8-sig")
    assert "Ny Person,ny@example.test,health,Sykehjem" in text and "interrupted" in text
    xlsx = spreadsheet.export_xlsx(spreadsheet.enrolments_for_export(a.editor, a.org))
    Enrolment.objects.all().delete()
    again = spreadsheet.import_enrolments(
        actor=a.editor, organisation=a.org, data=xlsx, filename="x.xlsx"
    )
    assert again.errors == [] and again.created == 2
    garbage = spreadsheet.import_enrolments(
        actor=a.editor, organisation=a.org, data=b"PK\x03\x04junk"
    )
    assert garbage.errors and garbage.created == 0
    outsider = spreadsheet.import_enrolments(
        actor=wf.s.world.b.editor, organisation=a.org, data=good
    )
    assert outsider.errors and outsider.created == 0


def test_import_over_http(wf: Wf) -> None:
    client = Client()
    client.force_login(wf.s.world.a.editor)
    data = _csv([["X", "", "health", "", "abc", "2025-01-10", "", "", ""]])
    upload = io.BytesIO(data)
    upload.name = "e.csv"
    response = client.post(f"/workforce/org/{wf.s.world.a.org.pk}/import/", {"file": upload})
    assert response.status_code == 400 and "Rad 2" in response.content.decode()


def test_export_deletion_and_the_name_gone_everywhere_while_counts_stay(wf: Wf) -> None:
    a = wf.s.world.a
    person = a.viewer  # also employee 0
    name = person.full_name
    enrolment = services.enrolment_create(
        actor=a.editor, organisation=a.org, employee=wf.employees[0], request=wf.offer
    )
    services.enrolment_complete(actor=a.editor, enrolment=enrolment, ended_on=TODAY)
    services.outcome_record(
        actor=a.editor, enrolment=enrolment, data={"tasks": ["new_tasks"], "new_title": "Fagleder"}
    )
    services.enrolment_comment(actor=person, enrolment=enrolment, comment="Takk!")
    exported = json.loads(privacy.export_json(person))["records"]
    assert exported["accounts.user"][0]["full_name"] == name
    assert exported["workforce.employee"][0]["full_name"] == "Vera Viewer"
    assert exported["workforce.enrolment"][0]["employee_comment"] == "Takk!"
    assert exported["workforce.outcome"][0]["new_title"] == "Fagleder"
    assert "password" not in exported["accounts.user"][0]
    assert "core.auditentry" in exported

    client = Client()
    client.force_login(person)
    assert client.get("/workforce/me/export.json").json()["user_id"] == person.pk
    client.post("/workforce/me/delete/")
    request = DeletionRequest.objects.get()
    assert request.organisation == a.org and request.status == "pending"
    tasks.refresh_now()
    before_figures = ProgrammeOutcome.objects.get(programme=wf.s.dementia).completions
    before_effect = selectors.effect(a.editor, a.org).totals

    with pytest.raises(NotAllowed):
        privacy.deletion_request_carry_out(actor=a.editor, request=request)  # not an admin
    admin = Client()
    admin.force_login(a.admin)
    listing = admin.get("/workforce/deletions/").content.decode()
    assert name in listing
    # Before: the name is on the employer's pages and in its audit log (so the checks
    # below can fail).
    assert "Vera Viewer" in admin.get(f"/organisations/{a.org.pk}/audit/").content.decode()
    assert "Vera Viewer" in admin.get(f"/workforce/org/{a.org.pk}/").content.decode()
    admin.post(f"/workforce/deletions/{request.pk}/carry-out/")
    request.refresh_from_db()
    assert request.status == "done"

    person.refresh_from_db()
    assert not person.is_active and person.full_name == "" and person.email == ""
    assert not person.has_usable_password()
    employee = Employee.objects.get(pk=wf.employees[0].pk)
    assert employee.full_name == personal_data.ERASED_TEXT and employee.user is None
    enrolment.refresh_from_db()
    assert enrolment.employee_comment == "" and enrolment.status == "completed"
    assert not AuditEntry.objects.filter(actor=person).exists()
    assert (
        not AuditEntry.objects.filter(actor_name=person.username)
        .exclude(action="personal_data.erase")
        .exists()
    )
    for url in (
        f"/workforce/org/{a.org.pk}/",
        f"/workforce/enrolments/{enrolment.pk}/",
        "/workforce/deletions/",
        f"/workforce/org/{a.org.pk}/enrolments.csv",
        f"/organisations/{a.org.pk}/members/",
        f"/organisations/{a.org.pk}/audit/",
        f"/organisations/{a.org.pk}/audit/?page=2",
    ):
        body = admin.get(url).content.decode("utf-8", "replace")
        assert name not in body and "Vera Viewer" not in body, url
    assert ProgrammeOutcome.objects.get(programme=wf.s.dementia).completions == before_figures
    assert selectors.effect(a.editor, a.org).totals == before_effect
    assert Client().login(username=person.username, password="correct-horse-battery") is False


def test_retention_is_enforced_and_safe_to_run_twice(wf: Wf) -> None:
    from yrkesbro.matching.models import MatchNotification

    assert MatchNotification.objects.exists()
    MatchNotification.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    enrolment = services.enrolment_create(
        actor=wf.s.world.a.editor,
        organisation=wf.s.world.a.org,
        employee=wf.employees[0],
        programme=wf.s.dementia,
    )
    services.enrolment_comment(actor=wf.s.world.a.viewer, enrolment=enrolment, comment="Gammel")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status="completed",
        enrolled_on=TODAY - dt.timedelta(days=7 * 365),
        ended_on=TODAY - dt.timedelta(days=6 * 365),
    )
    first = personal_data.enforce_retention()
    assert first["matching.matchnotification"] >= 1 and first["workforce.enrolment"] == 1
    assert not MatchNotification.objects.exists()
    assert Enrolment.objects.get(pk=enrolment.pk).employee_comment == ""
    second = retention_sweep.call()
    assert all(n == 0 for n in second.values()), second


def test_retention_is_part_of_the_daily_sweep() -> None:
    from yrkesbro.core.tasks import CORE_DAILY

    assert "yrkesbro.core.tasks.retention_sweep" in CORE_DAILY
