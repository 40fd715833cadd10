"""One display layer: people read labels, names and their language's dates, never stored values.

Rendered through HTTP on the demo data, reading only the text a person sees (tags and
attributes removed, so machine-readable ``<time datetime>`` and date-input values are fine).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
US_DATE = re.compile(r"\b[01]?\d/[0-3]?\d/(?:19|20)\d\d\b")
EN_ABBREVIATED = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\. \d{1,2}, \d{4}\b")


def visible_text(page: str) -> str:
    """What a person reads: no scripts, styles, tags or attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", page))


@pytest.fixture
def demo() -> dict[str | None, list[str]]:
    from yrkesbro.core.demo import load_demo
    from yrkesbro.core.tests.key_pages import key_pages

    load_demo()
    return key_pages()


def client_for(username: str | None, language: str) -> Client:
    from django.conf import settings

    from yrkesbro.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def pages(demo: dict[str | None, list[str]], language: str) -> Iterator[tuple[str, str]]:
    for username, paths in demo.items():
        client = client_for(username, language)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{path} as {username}: {response.status_code}"
            yield (
                f"{path} as {username or 'anonymous'} ({language})",
                visible_text(response.content.decode()),
            )


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_one_date_format_per_language(demo: dict[str | None, list[str]], language: str) -> None:
    failures = []
    checked = 0
    for where, text in pages(demo, language):
        checked += 1
        for pattern in (ISO_DATE, US_DATE, EN_ABBREVIATED):
            found = pattern.findall(text)
            if found:
                failures.append(f"{where}: {found[:3]}")
        # Norwegian pages write 16.08.2027; English pages 16 Aug 2027, never dd.mm.yyyy.
        if language == "en" and re.search(r"\b[0-3]\d\.[01]\d\.(?:19|20)\d\d\b", text):
            failures.append(f"{where}: a Norwegian date on an English page")
    assert checked >= 30
    assert not failures, "\n".join(failures)


def _codes_shown(text: str, choices: list[tuple[str, Any]]) -> list[str]:
    """Stored codes in the text, unless the code is also a word of its own label."""
    shown = []
    for value, label in choices:
        if value.lower() in str(label).lower().split():
            continue
        if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text):
            shown.append(value)
    return shown


def test_change_log_speaks_the_readers_words(demo: dict[str | None, list[str]]) -> None:
    from yrkesbro.accounts.models import Membership

    org = Membership.objects.filter(user__username="demo-kommune").first().organisation  # type: ignore[union-attr]
    text = visible_text(
        client_for("demo-kommune", "nb").get(f"/organisations/{org.pk}/audit/").content.decode()
    )
    assert "Publisert" in text or "Opprettet" in text
    for raw in ("created_at", "is_demo", "True", "False", "None", "['", "→ draft", "draft →"):
        assert raw not in text, raw
    assert not re.search(r"\b[a-z]+\.[a-z]+_[a-z_]+\b", text), "an action code is shown"
    assert not ISO_DATE.search(text)


def test_request_plan_and_catalogue_show_labels_for_every_choice(
    demo: dict[str | None, list[str]],
) -> None:
    from yrkesbro.catalogue.models import Delivery, Funding, Offering, Pace
    from yrkesbro.matching.models import Request, RequestStatus
    from yrkesbro.needs.models import CompetencePlan, Need, Status, Urgency

    client = client_for("demo-kommune", "nb")
    request = Request.objects.filter(
        need__organisation__memberships__user__username="demo-kommune"
    ).first()
    assert request is not None
    # Free text people wrote may use any word ("samlinger på campus"): leave it out.
    Request.objects.filter(pk=request.pk).update(message="", answer="")
    request.history.update(note="")
    for status in RequestStatus.values:
        for delivery in Delivery.values:
            Request.objects.filter(pk=request.pk).update(status=status, offer_delivery=delivery)
            text = visible_text(client.get(f"/matching/requests/{request.pk}/").content.decode())
            assert not _codes_shown(text, RequestStatus.choices + Delivery.choices), (
                status,
                delivery,
            )
    need = request.need
    for status in Status.values:
        for urgency in Urgency.values:
            Need.objects.filter(pk=need.pk).update(status=status, urgency=urgency)
            text = visible_text(client.get(f"/needs/{need.pk}/").content.decode())
            assert not _codes_shown(text, Status.choices + Urgency.choices), (status, urgency)
    plan = CompetencePlan.objects.filter(organisation=need.organisation).first()
    assert plan is not None
    text = visible_text(client.get(f"/needs/plans/{plan.pk}/").content.decode())
    assert f"{plan.period} {plan.period}" not in text and text.count(plan.period) >= 1
    offering = Offering.objects.order_by("pk").first()
    assert offering is not None
    for delivery in Delivery.values:
        for pace in Pace.values:
            for funding in Funding.values:
                Offering.objects.filter(pk=offering.pk).update(
                    delivery=delivery, pace=pace, funding=funding
                )
                for path in (
                    f"/catalogue/programmes/{offering.programme_id}/",
                    f"/catalogue/?q={offering.programme.title.split()[0]}",
                ):
                    text = visible_text(client.get(path).content.decode())
                    shown = _codes_shown(text, Delivery.choices + Pace.choices + Funding.choices)
                    assert not shown, (path, shown)
                    assert "nettbasert (nettbasert" not in text.lower()
    form = client.get("/needs/new/").content.decode()
    assert "---------" not in form
