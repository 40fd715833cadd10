"""Services: the rules of offers, demand, placements, assessments and hospitering.
A refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from yrkesbro.collaboration.models import ContactEntry, Partnership, PartnershipParty
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.models import AuditEntry
from yrkesbro.vet import services, tasks
from yrkesbro.vet.models import (
    Approval,
    Assessment,
    Demand,
    Hospitering,
    HospiteringStatus,
    Offer,
    OfferKind,
    Placement,
    Side,
)
from yrkesbro.vet.tests.conftest import VetWorld, book, days, yff_offer

pytestmark = pytest.mark.django_db


def test_company_offers_apprenticeship_places_with_approval_and_instructor(vet: VetWorld):
    offer = services.offer_create(
        actor=vet.company.admin,
        organisation=vet.company.org,
        trade_code="batmf3----",
        kind=OfferKind.APPRENTICESHIP,
        school_year=vet.year,
        places=2,
        starts_on=days(200),
        approval=Approval.APPROVED,
        instructor_name="Per Svenn",
        instructor_phone="+47 400 00 000",
    )
    assert offer.trade.code == "BATMF3----" and offer.places == 2 and offer.hours is None
    assert AuditEntry.objects.filter(action="vet.offer_create", object_id=str(offer.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trade_code": "XXXXX3----"}, "trade"),
        ({"trade_code": "HSHEA3----\x00"}, "trade"),
        ({"trade_code": "H" * 5000}, "trade"),
        ({"hours": 254}, "hours"),
        ({"hours": 0}, "hours"),
        ({"level": "vg1", "hours": 169}, "hours"),
        ({"places": 0}, "places"),
        ({"kind": "other"}, "kind"),
        ({"instructor_name": "Ina\nInstruktør"}, "instructor_name"),
        ({"internal_note": "nul\x00byte"}, "internal_note"),
        ({"school_year": 1850}, "school_year"),
        ({"shared_with": "company"}, "shared_with"),
    ],
)
def test_bad_offers_are_refused_and_nothing_is_stored(vet: VetWorld, change, field):
    if change.get("shared_with") == "company":
        change = {"shared_with": [vet.company2.org]}
    with pytest.raises(DomainError) as exc:
        yff_offer(vet, **change)
    assert exc.value.field == field
    assert not Offer.objects.exists()


def test_vg1_allows_168_hours_and_vg2_253(vet: VetWorld):
    assert yff_offer(vet, level="vg1", hours=168).hours == 168
    assert yff_offer(vet, level="vg2", hours=253).hours == 253


def test_viewer_and_outsider_cannot_offer(vet: VetWorld):
    with pytest.raises(NotAllowed):
        yff_offer(vet, actor=vet.company.viewer)
    with pytest.raises(NotFound):
        yff_offer(vet, actor=vet.outsider)
    with pytest.raises(NotFound):
        yff_offer(vet, actor=vet.company2.admin)
    assert not Offer.objects.exists()


def test_school_records_demand_and_corrects_it(vet: VetWorld):
    for n in (5, 7):
        services.demand_set(
            actor=vet.school.editor,
            school=vet.school.org,
            trade_code="HSHEA3----",
            school_year=vet.year,
            yff_pupils=n,
            apprenticeship_seekers=n + 1,
        )
    demand = Demand.objects.get()
    assert (demand.yff_pupils, demand.apprenticeship_seekers) == (7, 8)
    with pytest.raises(DomainError):
        services.demand_set(
            actor=vet.school.editor,
            school=vet.school.org,
            trade_code="HSHEA3----",
            school_year=vet.year,
            yff_pupils=-1,
            apprenticeship_seekers=1,
        )
    with pytest.raises(DomainError):  # a company records no demand
        services.demand_set(
            actor=vet.company.admin,
            school=vet.company.org,
            trade_code="HSHEA3----",
            school_year=vet.year,
            yff_pupils=1,
            apprenticeship_seekers=1,
        )
    assert Demand.objects.get().yff_pupils == 7


def test_booking_more_pupils_than_places_is_refused(vet: VetWorld):
    offer = yff_offer(vet, places=2)
    book(vet, offer, "Ane A")
    book(vet, offer, "Bo B")
    with pytest.raises(DomainError) as exc:
        book(vet, offer, "Cecilie C")
    assert exc.value.field == "offer"
    assert Placement.objects.count() == 2


def test_overlapping_periods_for_one_pupil_are_refused(vet: VetWorld):
    offer = yff_offer(vet, places=5)
    other = yff_offer(vet, trade_code="ELELE3----", places=5)
    book(vet, offer, "Kari Elevsen", starts_on=days(10), ends_on=days(20))
    with pytest.raises(DomainError) as exc:
        book(vet, other, "kari  elevsen", starts_on=days(15), ends_on=days(30))
    assert exc.value.field == "starts_on"
    book(vet, other, "Kari Elevsen", starts_on=days(21), ends_on=days(30))
    assert Placement.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": 254}, "hours"),
        ({"pupil_name": ""}, "pupil_name"),
        ({"pupil_name": "Kari\u2028Elev"}, "pupil_name"),
        ({"ends_on": days(-30)}, "ends_on"),
        ({"goals": "a\x00b"}, "goals"),
    ],
)
def test_bad_bookings_are_refused(vet: VetWorld, change, field):
    offer = yff_offer(vet)
    with pytest.raises(DomainError) as exc:
        book(vet, offer, **change)
    assert exc.value.field == field
    assert not Placement.objects.exists()


def test_a_school_the_offer_is_not_shared_with_cannot_book(vet: VetWorld):
    offer = yff_offer(vet)
    with pytest.raises(NotFound):
        book(vet, offer, actor=vet.school2.editor, school=vet.school2.org, teacher=None)
    assert not Placement.objects.exists()


def test_both_sides_assess_and_nobody_else(vet: VetWorld):
    offer = yff_offer(vet)
    placement = book(vet, offer)
    for intruder in (vet.school.admin, vet.company.admin, vet.company2.editor, vet.platform):
        with pytest.raises((NotAllowed, NotFound)):
            services.assessment_submit(actor=intruder, placement=placement, outcome="completed")
    services.assessment_submit(
        actor=vet.school.editor, placement=placement, outcome="completed", comment="Bra"
    )
    services.assessment_submit(
        actor=vet.company.editor,
        placement=placement,
        outcome="partly",
        would_take_apprentice=True,
    )
    sides = dict(Assessment.objects.values_list("side", "outcome"))
    assert sides == {Side.SCHOOL: "completed", Side.WORKPLACE: "partly"}
    with pytest.raises(DomainError):
        services.assessment_submit(actor=vet.school.editor, placement=placement, outcome="no_show")
    with pytest.raises(DomainError):
        services.assessment_submit(actor=vet.company.editor, placement=placement, outcome="bad")
    assert Assessment.objects.count() == 2


def test_worker_asks_both_sides_once_when_a_placement_ends(vet: VetWorld):
    offer = yff_offer(vet)
    ended = book(vet, offer, "Ane A")
    book(vet, offer, "Bo B", starts_on=days(1), ends_on=days(10))
    from yrkesbro.core.outbox import deliver_due

    deliver_due()  # earlier messages leave the outbox first
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        assert tasks.request_assessments() == 1
        assert tasks.request_assessments() == 0
    deliver_due()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([vet.company.editor.email, vet.school.editor.email])
    for message in mail.outbox:
        assert "Ane" not in message.body and "Ane" not in message.subject
    ended.refresh_from_db()
    assert ended.assessment_requested_at is not None


def test_worker_removes_pupil_names_after_the_configured_time(vet: VetWorld, settings):
    settings.VET_PUPIL_NAMES_KEPT_DAYS = 30
    old = yff_offer(vet, school_year=vet.year - 1)
    new = yff_offer(vet)
    gone = book(vet, old, "Gammel Elev", starts_on=days(-400), ends_on=days(-390))
    kept = book(vet, new, "Ny Elev")
    services.assessment_submit(actor=vet.school.editor, placement=gone, outcome="completed")
    today = tasks.school_year_end(vet.year - 1) + timezone.timedelta(days=31)
    assert tasks.remove_pupil_names(today) == 1
    assert tasks.remove_pupil_names(today) == 0  # safe to run twice
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.pupil_name, gone.pupil_first_name) == ("", "")
    assert gone.names_removed_at is not None and gone.assessments.count() == 1
    assert kept.pupil_name == "Ny Elev"
    day_before = tasks.school_year_end(vet.year) + timezone.timedelta(days=30)
    assert tasks.remove_pupil_names(day_before) == 0


def test_the_audit_log_never_holds_a_pupil_name(vet: VetWorld):
    offer = yff_offer(vet)
    placement = book(vet, offer, "Hemmelig Elevnavn")
    services.placement_agree(actor=vet.company.admin, placement=placement)
    services.assessment_submit(actor=vet.school.editor, placement=placement, outcome="completed")
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.before} {entry.after}"
        assert "Hemmelig" not in text and "Elevnavn" not in text


@pytest.fixture
def partnership(vet: VetWorld) -> Partnership:
    p = Partnership.objects.create(name="Skole og bedrift", purpose="Samarbeid")
    for org in (vet.school.org, vet.company.org):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    return p


def ask(vet: VetWorld, partnership: Partnership, **kw) -> Hospitering:  # type: ignore[no-untyped-def]
    data = {
        "actor": vet.school.editor,
        "partnership": partnership,
        "school": vet.school.org,
        "workplace": vet.company.org,
        "asked_by_side": Side.SCHOOL,
        "participant": "Lærer Lund",
        "starts_on": days(-14),
        "ends_on": days(-8),
        "days": 5,
        "goals": "Lære nye metoder",
    }
    data.update(kw)
    return services.hospitering_ask(**data)


def test_hospitering_is_asked_accepted_reported_and_reaches_the_timeline(vet, partnership):
    item = ask(vet, partnership)
    with pytest.raises(NotAllowed):  # the asking side does not answer itself
        services.hospitering_answer(actor=vet.school.admin, hospitering=item, accept=True)
    with pytest.raises(DomainError):  # not accepted yet
        services.hospitering_report(
            actor=vet.school.editor, hospitering=item, side=Side.SCHOOL, report="x"
        )
    services.hospitering_answer(actor=vet.company.admin, hospitering=item, accept=True)
    with pytest.raises(NotAllowed):  # each side writes its own report
        services.hospitering_report(
            actor=vet.school.editor, hospitering=item, side=Side.WORKPLACE, report="x"
        )
    services.hospitering_report(
        actor=vet.school.editor, hospitering=item, side=Side.SCHOOL, report="Nyttig"
    )
    assert not ContactEntry.objects.exists()
    services.hospitering_report(
        actor=vet.company.editor, hospitering=item, side=Side.WORKPLACE, report="Bra"
    )
    item.refresh_from_db()
    assert item.status == HospiteringStatus.REPORTED
    entry = ContactEntry.objects.get(partnership=partnership)
    assert "Lærer Lund" in entry.summary and entry.happened_on == item.ends_on


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": 4}, "days"),
        ({"days": 6, "starts_on": days(-14), "ends_on": days(-10)}, "days"),
        ({"ends_on": days(-30)}, "ends_on"),
        ({"goals": ""}, "goals"),
        ({"participant": "A\x07B"}, "participant"),
        ({"asked_by_side": "county"}, "asked_by_side"),
    ],
)
def test_bad_hospitering_requests_are_refused(vet, partnership, change, field):
    with pytest.raises(DomainError) as exc:
        ask(vet, partnership, **change)
    assert exc.value.field == field
    assert not Hospitering.objects.exists()


def test_hospitering_needs_both_organisations_in_the_partnership(vet, partnership):
    with pytest.raises(DomainError):
        ask(vet, partnership, workplace=vet.company2.org)
    with pytest.raises(NotFound):
        ask(vet, partnership, actor=vet.outsider)
    assert not Hospitering.objects.exists()


def test_a_pupils_hours_add_up_to_the_levels_total_at_most(vet: VetWorld):
    first = yff_offer(vet, places=5, level="vg1", hours=100)
    second = yff_offer(vet, trade_code="ELELE3----", places=5, level="vg1", hours=100)
    book(vet, first, "Kari Elevsen", hours=100, starts_on=days(-40), ends_on=days(-30))
    with pytest.raises(DomainError) as exc:
        book(vet, second, "Kari Elevsen", hours=69, starts_on=days(-20), ends_on=days(-10))
    assert exc.value.field == "hours" and "169" in str(exc.value)
    book(vet, second, "Kari Elevsen", hours=68, starts_on=days(-20), ends_on=days(-10))
    assert Placement.objects.count() == 2
