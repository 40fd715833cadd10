"""Requests and offers: the round trip, notices and history, bad input, and who may do what."""

from __future__ import annotations

import pytest
from django.core import mail

from yrkesbro.catalogue.models import OfferingStatus
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.models import AuditEntry
from yrkesbro.matching import services
from yrkesbro.matching.models import MatchNotification, Request, RequestStatus
from yrkesbro.needs.models import Status

from .conftest import Setup

OFFER = {"seats": 12, "price_nok": 0, "delivery": "blended", "answer": "Velkommen."}


def ask(s: Setup, **kw: object) -> Request:
    data = {"actor": s.world.a.editor, "need": s.need, "school": s.school.org, "offering": s.near}
    data.update(kw)
    return services.request_create(**data)  # type: ignore[arg-type]


def offer(s: Setup, req: Request, actor: object = None) -> Request:
    return services.request_offer(
        actor=actor or s.school.editor,
        request=req,
        data={**OFFER, "programme": s.dementia, "offering": s.near},
    )


def test_round_trip_notifies_each_side_and_keeps_history(
    setup: Setup, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    s = setup
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        req = ask(s, message="Vi trenger plasser.")
    assert req.status == RequestStatus.REQUESTED and req.people == 12
    school_people = {s.school.admin.pk, s.school.editor.pk}
    assert set(MatchNotification.objects.values_list("user_id", flat=True)) == school_people
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        req = offer(s, req)
    assert req.status == RequestStatus.OFFERED and req.offer_seats == 12
    told = set(
        MatchNotification.objects.filter(event__to_status="offered").values_list(
            "user_id", flat=True
        )
    )
    assert told == {s.world.a.admin.pk, s.world.a.editor.pk}
    req = services.request_accept(actor=s.world.a.admin, request=req)
    assert req.status == RequestStatus.ACCEPTED
    assert list(req.history.values_list("to_status", flat=True)) == [
        "requested",
        "offered",
        "accepted",
    ]
    assert AuditEntry.objects.filter(action__startswith="matching.").count() == 3
    assert MatchNotification.objects.filter(event__to_status="accepted").count() == 2


def test_refusal_needs_a_reason(setup: Setup) -> None:
    req = ask(setup)
    with pytest.raises(DomainError) as exc:
        services.request_refuse(actor=setup.school.editor, request=req, reason="  ")
    assert exc.value.field == "answer"
    req = services.request_refuse(actor=setup.school.editor, request=req, reason="Ingen lærere.")
    assert req.status == RequestStatus.REFUSED and req.answer == "Ingen lærere."


def test_a_withdrawn_need_cannot_be_sent(setup: Setup) -> None:
    setup.need.status = Status.WITHDRAWN
    setup.need.save()
    with pytest.raises(DomainError, match="Only a published need can be sent to schools"):
        ask(setup)
    assert not Request.objects.exists()


def test_a_full_offering_cannot_be_requested(setup: Setup) -> None:
    setup.near.status = OfferingStatus.FULL
    setup.near.save()
    with pytest.raises(DomainError, match="The offering is full") as exc:
        ask(setup)
    assert exc.value.code == "offering_full"
    assert not Request.objects.exists()


def test_an_offering_of_another_school_is_refused(setup: Setup) -> None:
    with pytest.raises(DomainError, match="not one of this school's"):
        ask(setup, offering=setup.far)


def test_a_second_open_request_to_the_same_school_is_refused(setup: Setup) -> None:
    ask(setup)
    with pytest.raises(DomainError, match="already an open request"):
        ask(setup)
    assert Request.objects.count() == 1


def test_an_offer_from_a_school_that_was_not_asked(setup: Setup) -> None:
    req = ask(setup)
    with pytest.raises(NotAllowed, match="Only the school that was asked can answer this request"):
        offer(setup, req, actor=setup.other_school.editor)
    req.refresh_from_db()
    assert req.status == RequestStatus.REQUESTED and req.offer_programme is None


def test_offer_with_another_schools_programme_is_refused(setup: Setup) -> None:
    req = ask(setup)
    with pytest.raises(DomainError, match="Choose one of the school's programmes"):
        services.request_offer(
            actor=setup.school.editor, request=req, data={**OFFER, "programme": setup.far.programme}
        )
    req.refresh_from_db()
    assert req.status == RequestStatus.REQUESTED


def test_accepting_twice_changes_nothing(setup: Setup) -> None:
    req = offer(setup, ask(setup))
    services.request_accept(actor=setup.world.a.editor, request=req)
    events = req.history.count()
    with pytest.raises(DomainError, match="already been done: the request is accepted"):
        services.request_accept(actor=setup.world.a.editor, request=req)
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.request_decline(actor=setup.world.a.editor, request=req)
    assert req.history.count() == events


def test_accepting_before_an_offer_and_answering_twice(setup: Setup) -> None:
    req = ask(setup)
    with pytest.raises(DomainError, match="has not made an offer yet"):
        services.request_accept(actor=setup.world.a.editor, request=req)
    offer(setup, req)
    with pytest.raises(DomainError, match="already been answered"):
        offer(setup, req)


# Permission matrix: role, own or other organisation, action.
ROLES = ["admin", "editor", "viewer"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", ["own", "other"])
def test_matrix_ask(setup: Setup, role: str, side: str) -> None:
    user = (setup.world.a if side == "own" else setup.world.b).member(role)
    if side == "own" and role in ("admin", "editor"):
        assert ask(setup, actor=user).status == RequestStatus.REQUESTED
    else:
        with pytest.raises(NotAllowed):
            ask(setup, actor=user)
        assert not Request.objects.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("action", ["offer", "refuse"])
def test_matrix_answer(setup: Setup, role: str, side: str, action: str) -> None:
    req = ask(setup)
    user = (setup.school if side == "own" else setup.other_school).member(role)

    def run() -> Request:
        if action == "offer":
            return offer(setup, req, actor=user)
        return services.request_refuse(actor=user, request=req, reason="Nei.")

    if side == "own" and role in ("admin", "editor"):
        assert run().status in (RequestStatus.OFFERED, RequestStatus.REFUSED)
    else:
        with pytest.raises(NotAllowed):
            run()
        req.refresh_from_db()
        assert req.status == RequestStatus.REQUESTED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", ["own", "other", "school"])
@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_matrix_decide(setup: Setup, role: str, side: str, action: str) -> None:
    req = offer(setup, ask(setup))
    user = {"own": setup.world.a, "other": setup.world.b, "school": setup.school}[side].member(role)
    fn = getattr(services, f"request_{action}")
    if side == "own" and role in ("admin", "editor"):
        assert fn(actor=user, request=req).status != RequestStatus.OFFERED
    else:
        with pytest.raises(NotAllowed):
            fn(actor=user, request=req)
        req.refresh_from_db()
        assert req.status == RequestStatus.OFFERED


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("a_viewer", True),
        ("school_viewer", True),
        ("b_admin", False),
        ("other_school_admin", False),
        ("outsider", False),
        ("platform", True),
    ],
)
def test_who_sees_a_request(setup: Setup, who: str, sees: bool) -> None:
    req = ask(setup)
    user = {
        "a_viewer": setup.world.a.viewer,
        "school_viewer": setup.school.viewer,
        "b_admin": setup.world.b.admin,
        "other_school_admin": setup.other_school.admin,
        "outsider": setup.world.outsider,
        "platform": setup.world.platform_admin,
    }[who]
    assert Request.objects.visible_to(user).filter(pk=req.pk).exists() is sees
