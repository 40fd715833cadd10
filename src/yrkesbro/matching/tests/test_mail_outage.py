"""With the mail server unreachable, a request and an offer still succeed; the mail follows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from yrkesbro.core import outbox
from yrkesbro.core.models import OutboxMessage, OutboxStatus
from yrkesbro.matching.models import Request

from .conftest import Setup
from .test_pages_and_api import client_for

UNREACHABLE = "yrkesbro.core.tests.mail_backends.UnreachableBackend"


@pytest.mark.django_db(transaction=True)
def test_request_and_offer_succeed_while_mail_is_down_and_mail_goes_out_later(
    setup: Setup,
) -> None:
    s = setup
    mail.outbox = []
    muni, school = client_for(s.world.a.editor), client_for(s.school.editor)
    with override_settings(EMAIL_BACKEND=UNREACHABLE):
        r = muni.post(
            "/api/v1/requests",
            {"need_id": s.need.pk, "school_id": s.school.org.pk, "offering_id": s.near.pk},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
        rid = r.json()["id"]
        offer = {"programme_id": s.dementia.pk, "seats": 12, "price_nok": 0, "delivery": "blended"}
        r = school.post(f"/api/v1/requests/{rid}/offer", offer, content_type="application/json")
        assert r.status_code == 200, r.content
    assert Request.objects.get(pk=rid).status == "offered"
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert (
        waiting.count() == 4
    )  # two school people told of the request, two of the municipality of the offer
    assert mail.outbox == []
    # The mail server is back: the next delivery run sends each message once.
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 4
    assert outbox.deliver_due() == 0
    assert len(mail.outbox) == 4
    assert {r for m in mail.outbox for r in m.to} == {
        s.school.admin.email,
        s.school.editor.email,
        s.world.a.admin.email,
        s.world.a.editor.email,
    }
