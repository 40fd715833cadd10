"""Rounds, answering and bad input, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.health import services, tasks
from yrkesbro.health.models import (
    Answer,
    ItemSet,
    Participation,
    Response,
    Round,
    Trigger,
    threshold,
)
from yrkesbro.health.tests.conftest import CODES, Pulse, values

pytestmark = pytest.mark.django_db


def nothing_stored() -> tuple[int, int, int]:
    return Participation.objects.count(), Response.objects.count(), Answer.objects.count()


def test_default_item_set_has_ten_items_and_one_free_text_in_three_languages(pulse: Pulse) -> None:
    item_set = services.current_item_set()
    items = list(item_set.items.all())
    assert [i.code for i in items if i.kind == "scale"] == CODES
    assert [i.kind for i in items].count("text") == 1
    assert all(i.text_nb and i.text_nn and i.text_en for i in items)
    assert len({i.text_nb for i in items}) == 11
    assert services.current_item_set() == item_set  # not made twice


def test_start_invites_everyone_asked_once_after_commit(
    pulse: Pulse, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        round_ = pulse.start()
    assert round_.trigger == Trigger.MANUAL
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(u.email for u in pulse.side_a + pulse.side_b)
    assert f"/health/rounds/{round_.pk}/answer/" in mail.outbox[0].body


def test_only_a_party_admin_starts_a_round(pulse: Pulse) -> None:
    w = pulse.world
    with pytest.raises(NotAllowed):
        services.round_start(actor=w.a.editor, partnership=pulse.partnership)
    with pytest.raises(NotFound):
        services.round_start(actor=w.outsider, partnership=pulse.partnership)
    assert not Round.objects.exists()
    round_ = services.round_start(actor=w.b.admin, partnership=pulse.partnership)
    with pytest.raises(DomainError, match="already open"):
        services.round_start(actor=w.b.admin, partnership=pulse.partnership)
    assert list(Round.objects.all()) == [round_]


def test_answer_is_stored_without_the_person(pulse: Pulse) -> None:
    round_ = pulse.start()
    user = pulse.side_a[0]
    pulse.answer(round_, user, communication=2, commitments=None, free_text="Mer kontakt")
    participation = Participation.objects.get()
    assert (participation.user, participation.organisation) == (user, pulse.world.a.org)
    response = Response.objects.get()
    assert response.organisation == pulse.world.a.org
    stored = {a.item.code: a.value for a in response.answers.select_related("item")}
    assert stored == values(4, communication=2, commitments=None)
    # No field on an answer leads to a person or a time.
    for model in (Response, Answer):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"user", "created_at", "answered_at", "created_by", "participation"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"communication": 6}, "1 to 5"),
        ({"communication": -1}, "1 to 5"),
        ({"communication": 2**70}, "1 to 5"),
        ({"communication": "fem"}, "1 to 5"),
        ({"communication": True}, "1 to 5"),
        ({"unknown_item": 3}, "not in this survey"),
        ({"drop": "shared_goal"}, "Answer every question"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    pulse: Pulse, change: dict, message: str
) -> None:
    round_ = pulse.start()
    answer = values()
    if "drop" in change:
        answer.pop(change["drop"])
    else:
        answer.update(change)
    with pytest.raises(DomainError, match=message):
        services.round_answer(actor=pulse.side_a[0], round_=round_, values=answer)
    assert nothing_stored() == (0, 0, 0)


def test_control_characters_in_free_text_are_refused(pulse: Pulse) -> None:
    round_ = pulse.start()
    with pytest.raises(DomainError, match="control characters"):
        pulse.answer(round_, pulse.side_a[0], free_text="hei\x00du")
    with pytest.raises(DomainError, match="2000"):
        pulse.answer(round_, pulse.side_a[0], free_text="x" * 2001)
    assert nothing_stored() == (0, 0, 0)


def test_answering_twice_is_refused(pulse: Pulse) -> None:
    round_ = pulse.start()
    pulse.answer(round_, pulse.side_a[0])
    with pytest.raises(DomainError, match="already answered"):
        pulse.answer(round_, pulse.side_a[0], default=1)
    assert nothing_stored() == (1, 1, 10)


def test_answering_a_closed_round_is_refused(pulse: Pulse) -> None:
    round_ = pulse.start()
    pulse.close(round_)
    with pytest.raises(DomainError, match="closed"):
        pulse.answer(round_, pulse.side_a[0])
    late = pulse.start()
    Round.objects.filter(pk=late.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    late.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        pulse.answer(late, pulse.side_a[0])
    assert nothing_stored() == (0, 0, 0)


def test_only_representatives_and_liaisons_answer(pulse: Pulse) -> None:
    from yrkesbro.testing import MembershipFactory, UserFactory

    round_ = pulse.start()
    member = UserFactory(username="not-a-rep")
    MembershipFactory(user=member, organisation=pulse.world.a.org)
    with pytest.raises(NotAllowed, match="representatives"):
        pulse.answer(round_, member)
    with pytest.raises(NotFound):
        pulse.answer(round_, pulse.world.outsider)
    assert nothing_stored() == (0, 0, 0)


def test_item_set_needs_all_three_languages_and_admin(pulse: Pulse) -> None:
    w = pulse.world
    good = [{"code": "goal", "kind": "scale", "nb": "Mål", "nn": "Mål", "en": "Goal"}]
    missing_nn = [{"code": "goal", "kind": "scale", "nb": "Mål", "nn": " ", "en": "Goal"}]
    with pytest.raises(DomainError, match="bokmål, nynorsk and English"):
        services.item_set_create(actor=w.platform_admin, items=missing_nn)
    with pytest.raises(DomainError, match="one line"):
        services.item_set_create(
            actor=w.platform_admin, items=[{**good[0], "en": "Goal\nnew line"}]
        )
    with pytest.raises(NotAllowed):
        services.item_set_create(actor=w.a.admin, items=good)
    assert not ItemSet.objects.exists()
    first = services.current_item_set()
    round_ = pulse.start()
    pulse.answer(round_, pulse.side_a[0])
    second = services.item_set_create(actor=w.platform_admin, items=good, note="Kortere")
    assert second.version == first.version + 1 and second.is_current
    first.refresh_from_db()
    round_.refresh_from_db()
    assert not first.is_current
    assert round_.item_set == first  # old answers stay tied to their version
    assert Answer.objects.filter(item__item_set=first).count() == 10


def test_threshold_cannot_go_below_three(settings) -> None:  # type: ignore[no-untyped-def]
    settings.YRKESBRO_PULSE_THRESHOLD = 1
    assert threshold() == 3
    settings.YRKESBRO_PULSE_THRESHOLD = 5
    assert threshold() == 5


def test_worker_sweep_reminds_once_closes_and_starts_on_cadence(
    pulse: Pulse, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    round_ = pulse.start()
    pulse.answer(round_, pulse.side_a[0])
    from yrkesbro.core.outbox import deliver_due

    deliver_due()  # the invitations leave the outbox; only reminders are counted below
    mail.outbox.clear()
    Round.objects.filter(pk=round_.pk).update(
        opened_at=timezone.now() - timedelta(days=15),
        closes_on=timezone.localdate() + timedelta(days=6),
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.sweep()
        second = tasks.sweep()
    assert first["reminded"] == 7 and second["reminded"] == 0  # all but the one who answered
    assert {m.to[0] for m in mail.outbox} == {u.email for u in pulse.side_a[1:] + pulse.side_b}
    Round.objects.filter(pk=round_.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert tasks.sweep()["closed"] == 1
    assert tasks.sweep()["closed"] == 0
    assert tasks.sweep()["started"] == 0  # the cadence has not come round
    Round.objects.filter(pk=round_.pk).update(opened_at=timezone.now() - timedelta(days=190))
    assert tasks.sweep()["started"] == 1
    new = Round.objects.open().get()
    assert new.trigger == Trigger.CADENCE
    assert tasks.sweep()["started"] == 0


def test_signed_agreement_starts_a_round(pulse: Pulse, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from yrkesbro.collaboration.models import Agreement, AgreementStatus

    with django_capture_on_commit_callbacks(execute=True):
        Agreement.objects.create(
            partnership=pulse.partnership, title="Avtale", status=AgreementStatus.SIGNED
        )
    round_ = Round.objects.get()
    assert round_.trigger == Trigger.AGREEMENT
    assert tasks.start_after_agreement.call(pulse.partnership.pk) is False  # not twice
