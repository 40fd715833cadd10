"""Writes for collaboration health: item sets, rounds and anonymous answers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import Membership
from yrkesbro.collaboration.models import Liaison, Partnership, PartnershipParty, Representative
from yrkesbro.collaboration.services.common import require
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.inputs import check_single_line, check_text
from yrkesbro.core.outbox import queue_email
from yrkesbro.core.policies import Actor, Capability, is_platform_admin
from yrkesbro.health.defaults import DEFAULT_ITEMS
from yrkesbro.health.models import (
    Answer,
    Item,
    ItemKind,
    ItemSet,
    Participation,
    PulseSettings,
    Response,
    Round,
    Trigger,
)
from yrkesbro.organisations.models import Organisation

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FREE_TEXT = 2000
CADENCE_RANGE = (1, 36)
OPEN_DAYS_RANGE = (3, 90)


# --- Who takes part ------------------------------------------------------------------------


def _accepted_parties(partnership: Partnership) -> Any:
    """The partnership's parties (organisation ids) that take part in the survey.

    Only parties that have accepted to take part: an invited organisation is asked nothing.
    """
    return (
        PartnershipParty.objects.accepted()
        .filter(partnership=partnership)
        .values("organisation_id")
    )


def respondents(partnership: Partnership) -> dict[int, tuple[Any, int]]:
    """Everyone asked in a round: ``{user_id: (user, side organisation id)}``.

    Representatives answer for the party they represent; a liaison answers for the first
    party (lowest id) they are a member of. Inactive accounts are not asked.
    """
    parties = set(_accepted_parties(partnership).values_list("organisation_id", flat=True))
    people: dict[int, tuple[Any, int]] = {}
    reps = Representative.objects.filter(
        partnership=partnership, organisation_id__in=parties, user__is_active=True
    ).select_related("user")
    for rep in reps.order_by("organisation_id", "id"):
        people.setdefault(rep.user_id, (rep.user, rep.organisation_id))
    liaisons = list(
        Liaison.objects.filter(partnership=partnership, user__is_active=True).select_related("user")
    )
    sides = {
        (m["user_id"], m["organisation_id"])
        for m in Membership.objects.filter(
            user_id__in=[li.user_id for li in liaisons], organisation_id__in=parties
        ).values("user_id", "organisation_id")
    }
    for liaison in liaisons:
        own = sorted(org for user, org in sides if user == liaison.user_id)
        if own and liaison.user_id not in people:
            people[liaison.user_id] = (liaison.user, own[0])
    return people


# --- Item sets ------------------------------------------------------------------------------


def check_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items cleaned (codes, kinds, one-line texts in nb, nn and en), or DomainError.

    ``item_set_create`` runs it; the web editor runs it first to show a review step."""
    if not items:
        raise DomainError(_("An item set needs at least one item."), field="items")
    seen: set[str] = set()
    clean = []
    for item in items:
        code = str(item.get("code", "")).strip()
        if not CODE_RE.match(code) or code in seen:
            raise DomainError(
                _("Each item needs its own code of lower-case letters, digits and _."),
                field="items",
            )
        seen.add(code)
        kind = item.get("kind", ItemKind.SCALE)
        if kind not in ItemKind.values:
            raise DomainError(_("Unknown item kind."), field="items")
        texts = {}
        for lang in ("nb", "nn", "en"):
            text = " ".join(str(item.get(lang) or "").split()) if item.get(lang) else ""
            check_single_line(str(item.get(lang) or ""), field="items")
            if not text:
                raise DomainError(
                    _("Every item needs its text in bokmål, nynorsk and English."), field="items"
                )
            if len(text) > 300:
                raise DomainError(_("Item texts are at most 300 characters."), field="items")
            texts[lang] = text
        clean.append({"code": code, "kind": kind, **texts})
    if not any(i["kind"] == ItemKind.SCALE for i in clean):
        raise DomainError(_("An item set needs at least one 1–5 item."), field="items")
    return clean


@transaction.atomic
def item_set_create(*, actor: Actor | None, items: list[dict[str, Any]], note: str = "") -> ItemSet:
    """A new version of the questionnaire, made current. Platform administrators only;
    ``actor=None`` is the system (the default set on first use)."""
    if actor is not None and not is_platform_admin(actor):
        raise NotAllowed(_("Only platform administrators can change the questionnaire."))
    clean = check_items(items)
    check_single_line(note, field="note")
    last = ItemSet.objects.select_for_update().order_by("-version").first()
    ItemSet.objects.filter(is_current=True).update(is_current=False)
    item_set = ItemSet.objects.create(
        version=(last.version + 1) if last else 1,
        note=note[:300],
        is_current=True,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    Item.objects.bulk_create(
        Item(
            item_set=item_set,
            position=i,
            code=c["code"],
            kind=c["kind"],
            text_nb=c["nb"],
            text_nn=c["nn"],
            text_en=c["en"],
        )
        for i, c in enumerate(clean, start=1)
    )
    audit.record(actor=actor, action="health.item_set_create", obj=item_set, after={"items": clean})
    return item_set


def current_item_set() -> ItemSet:
    """The current version, creating the default set the first time it is needed."""
    item_set = ItemSet.objects.filter(is_current=True).first()
    if item_set is None:
        item_set = item_set_create(
            actor=None,
            items=[dict(item._asdict()) for item in DEFAULT_ITEMS],
            note="Yrkesbro default set",
        )
    return item_set


# --- Rounds ---------------------------------------------------------------------------------


def settings_for(partnership: Partnership) -> PulseSettings:
    found = PulseSettings.objects.filter(partnership=partnership).first()
    return found or PulseSettings(partnership=partnership)


@transaction.atomic
def pulse_settings_update(
    *, actor: Actor, partnership: Partnership, cadence_months: int, open_days: int
) -> PulseSettings:
    require(actor, Capability.MANAGE_MEMBERS, partnership)
    if not CADENCE_RANGE[0] <= cadence_months <= CADENCE_RANGE[1]:
        raise DomainError(
            _("Ask between every month and every three years."), field="cadence_months"
        )
    if not OPEN_DAYS_RANGE[0] <= open_days <= OPEN_DAYS_RANGE[1]:
        raise DomainError(_("A round stays open between 3 and 90 days."), field="open_days")
    found, _created = PulseSettings.objects.update_or_create(
        partnership=partnership,
        defaults={"cadence_months": cadence_months, "open_days": open_days},
    )
    audit.record(
        actor=actor,
        action="health.settings_update",
        obj=found,
        after=audit.snapshot(found),
    )
    return found


def _invite(round_: Round, people: dict[int, tuple[Any, int]], *, reminder: bool) -> int:
    name = check_single_line(round_.partnership.name)
    sent = 0
    for user_id, (user, _org) in people.items():
        if reminder:
            subject = _("Reminder: how is the collaboration in %(name)s going?") % {"name": name}
            body = _("The survey closes %(date)s. It takes two minutes, and answers are anonymous.")
        else:
            subject = _("How is the collaboration in %(name)s going?") % {"name": name}
            body = _(
                "Both sides of the partnership answer the same ten short questions. Answers "
                "are anonymous and shown only as each side's figures. The survey closes %(date)s."
            )
        kind = "reminder" if reminder else "invite"
        queue_email(
            to=user.email,
            subject=str(subject),
            body=str(body) % {"date": round_.closes_on.strftime("%d.%m.%Y")},
            url=f"/health/rounds/{round_.pk}/answer/",
            key=f"health:{round_.pk}:{kind}:{user_id}",
        )
        sent += 1
    return sent


@transaction.atomic
def round_start(
    *, actor: Actor | None, partnership: Partnership, trigger: str = Trigger.MANUAL
) -> Round:
    """Open a round and invite everyone asked. ``actor=None`` is the worker."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, partnership)
    # Lock the partnership row so two starts at once cannot both open a round.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if Round.objects.filter(partnership=partnership, closed_at__isnull=True).exists():
        raise DomainError(_("A round is already open for this partnership."), code="round_open")
    people = respondents(partnership)
    if not people:
        raise DomainError(
            _("The partnership has no representatives or liaisons to ask."), code="nobody"
        )
    now = timezone.now()
    round_ = Round.objects.create(
        partnership=partnership,
        item_set=current_item_set(),
        trigger=trigger,
        opened_at=now,
        closes_on=timezone.localdate(now) + timedelta(days=settings_for(partnership).open_days),
        started_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _invite(round_, people, reminder=False)
    audit.record(
        actor=actor,
        action="health.round_start",
        obj=round_,
        after={"partnership": partnership.pk, "trigger": trigger, "asked": len(people)},
    )
    return round_


@transaction.atomic
def round_close(*, actor: Actor | None, round_: Round) -> Round:
    """Close a round: from now on its side figures may be shown. Idempotent."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, round_.partnership)
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.closed_at is not None:
        return locked
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    audit.record(actor=actor, action="health.round_close", obj=locked, after={"closed": True})
    from yrkesbro.health.signals import refresh_after_commit

    refresh_after_commit()
    return locked


def round_remind(round_: Round) -> int:
    """Send the one reminder to those who have not answered (worker; safe to run twice)."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.reminded_at is not None or locked.closed_at is not None:
            return 0
        answered = set(Participation.objects.filter(round=locked).values_list("user_id", flat=True))
        people = {k: v for k, v in respondents(locked.partnership).items() if k not in answered}
        locked.reminded_at = timezone.now()
        locked.save(update_fields=["reminded_at"])
        return _invite(locked, people, reminder=True)


# --- Answering ------------------------------------------------------------------------------


def _parse_value(raw: Any) -> int | None:
    """1–5, or None for "don't know" (empty, ``0`` or ``"dk"``)."""
    if raw is None or raw == "" or raw == "dk":
        return None
    if isinstance(raw, bool):
        raise DomainError(_("Answer each question with 1 to 5, or don't know."), field="values")
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise DomainError(
            _("Answer each question with 1 to 5, or don't know."), field="values"
        ) from exc
    if value == 0:
        return None
    if not 1 <= value <= 5:
        raise DomainError(_("Answer each question with 1 to 5, or don't know."), field="values")
    return value


@transaction.atomic
def round_answer(
    *, actor: Actor, round_: Round, values: dict[str, Any], free_text: str = ""
) -> None:
    """Store one person's answers without any link to them, and that they answered.

    ``values`` maps every 1–5 item's code to 1–5 or "don't know" (None). The answer row
    has no user, no time and a random key; the participation row has no answer.
    """
    if not (actor and actor.is_authenticated):
        raise NotFound(_("Not found."))
    locked = Round.objects.select_for_update().select_related("partnership").get(pk=round_.pk)
    people = respondents(locked.partnership)
    if actor.pk not in people:
        if Round.objects.visible_to(actor).filter(pk=locked.pk).exists():
            raise NotAllowed(
                _("Only the partnership's representatives and liaisons answer its survey.")
            )
        raise NotFound(_("Not found."))
    if locked.closed_at is not None or timezone.localdate() > locked.closes_on:
        raise DomainError(_("This round is closed."), code="round_closed")
    if Participation.objects.filter(round=locked, user=actor).exists():
        raise DomainError(_("You have already answered this round."), code="already_answered")
    items = list(locked.item_set.items.all())
    scale = {i.code: i for i in items if i.kind == ItemKind.SCALE}
    unknown = set(values) - set(scale)
    if unknown:
        raise DomainError(
            _("The answer names questions that are not in this survey."), field="values"
        )
    missing = set(scale) - set(values)
    if missing:
        raise DomainError(
            _("Answer every question (don't know is an answer)."), field="values", code="missing"
        )
    parsed = {code: _parse_value(values[code]) for code in scale}
    free_text = check_text(str(free_text or ""), field="free_text").strip()
    if len(free_text) > MAX_FREE_TEXT:
        raise DomainError(_("The text is at most 2000 characters."), field="free_text")
    if not any(i.kind == ItemKind.TEXT for i in items):
        free_text = ""
    _user, side = people[actor.pk]
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                round=locked, organisation_id=side, user=actor
            )
    except IntegrityError as exc:
        raise DomainError(
            _("You have already answered this round."), code="already_answered"
        ) from exc
    response = Response.objects.create(round=locked, organisation_id=side, free_text=free_text)
    Answer.objects.bulk_create(
        Answer(response=response, item=scale[code], value=value) for code, value in parsed.items()
    )
    # The log says that someone of the side answered, never what.
    audit.record(
        actor=actor,
        action="health.participate",
        obj=participation,
        organisation=Organisation.objects.get(pk=side),
        after={"round": locked.pk, "organisation": side},
    )
