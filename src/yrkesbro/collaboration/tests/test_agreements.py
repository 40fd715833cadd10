"""Agreements: versions, signing rules, lifecycle over time, diff, document and PDF."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yrkesbro.collaboration.models import AgreementStatus, AgreementVersion, Signature
from yrkesbro.collaboration.services import agreements as services
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.testing import PASSWORD


def _send_and_sign(setup, agreement):
    services.agreement_send(actor=setup.world.a.editor, agreement=agreement)
    services.agreement_sign(
        actor=setup.world.a.admin, agreement=agreement, organisation=setup.world.a.org
    )
    services.agreement_sign(
        actor=setup.world.b.admin, agreement=agreement, organisation=setup.world.b.org
    )
    agreement.refresh_from_db()
    return agreement


def test_lifecycle_to_active_when_both_parties_sign(setup):
    agreement = setup.agreement()
    assert agreement.status == AgreementStatus.DRAFT
    services.agreement_send(actor=setup.world.a.editor, agreement=agreement)
    services.agreement_sign(
        actor=setup.world.a.admin, agreement=agreement, organisation=setup.world.a.org
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT
    services.agreement_sign(
        actor=setup.world.b.admin, agreement=agreement, organisation=setup.world.b.org
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    sig = Signature.objects.get(organisation=setup.world.b.org)
    assert sig.user == setup.world.b.admin and sig.signed_at


def test_signature_by_someone_not_representing_the_party(setup):
    agreement = setup.agreement()
    services.agreement_send(actor=setup.world.a.editor, agreement=agreement)
    w = setup.world
    # An admin of A cannot sign for B; an editor of B cannot sign; an outsider learns nothing.
    with pytest.raises(NotAllowed):
        services.agreement_sign(actor=w.a.admin, agreement=agreement, organisation=w.b.org)
    with pytest.raises(NotAllowed):
        services.agreement_sign(actor=w.b.editor, agreement=agreement, organisation=w.b.org)
    with pytest.raises(NotFound):
        services.agreement_sign(actor=w.outsider, agreement=agreement, organisation=w.b.org)
    with pytest.raises(NotAllowed):
        services.agreement_sign(actor=w.platform_admin, agreement=agreement, organisation=w.b.org)
    assert not Signature.objects.exists()


def test_cannot_sign_a_draft_or_twice(setup):
    agreement = setup.agreement()
    with pytest.raises(DomainError, match="not waiting"):
        services.agreement_sign(
            actor=setup.world.a.admin, agreement=agreement, organisation=setup.world.a.org
        )
    services.agreement_send(actor=setup.world.a.editor, agreement=agreement)
    services.agreement_sign(
        actor=setup.world.a.admin, agreement=agreement, organisation=setup.world.a.org
    )
    with pytest.raises(DomainError, match="already signed"):
        services.agreement_sign(
            actor=setup.world.a.admin, agreement=agreement, organisation=setup.world.a.org
        )


def test_editing_a_signed_version_creates_a_new_version(setup):
    agreement = _send_and_sign(setup, setup.agreement())
    v1 = agreement.current
    v2 = services.agreement_edit(
        actor=setup.world.b.editor, agreement=agreement, data={"purpose": "Nytt formål"}
    )
    assert v2.number == 2 and v1.pk != v2.pk
    v1.refresh_from_db()
    assert v1.purpose == "Samarbeid om helsefag"
    assert v1.signatures.count() == 2 and v2.signatures.count() == 0
    assert v2.commitments.count() == 2
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_editing_a_draft_changes_it_in_place(setup):
    agreement = setup.agreement()
    v = services.agreement_edit(
        actor=setup.world.a.editor, agreement=agreement, data={"contacts": "Ola"}
    )
    assert v.number == 1 and AgreementVersion.objects.count() == 1


def test_period_must_end_after_start(setup):
    with pytest.raises(DomainError, match="end after"):
        setup.agreement(ends_on=date.today() - timedelta(days=30))


def test_lifecycle_moves_with_time(setup):
    agreement = _send_and_sign(setup, setup.agreement())
    ends = agreement.current.ends_on
    assert services.status_on(agreement, ends - timedelta(days=100)) == AgreementStatus.ACTIVE
    assert services.status_on(agreement, ends - timedelta(days=60)) == AgreementStatus.RENEWAL
    assert services.status_on(agreement, ends + timedelta(days=1)) == AgreementStatus.EXPIRED


def test_terminate_needs_admin(setup):
    agreement = _send_and_sign(setup, setup.agreement())
    with pytest.raises(NotAllowed):
        services.agreement_terminate(actor=setup.world.a.editor, agreement=agreement)
    services.agreement_terminate(actor=setup.world.b.admin, agreement=agreement)
    with pytest.raises(DomainError):
        services.agreement_edit(
            actor=setup.world.a.editor, agreement=agreement, data={"contacts": "x"}
        )


def test_web_signing_and_diff(client, setup):
    agreement = setup.agreement()
    client.login(username=setup.world.a.editor.username, password=PASSWORD)
    client.post(f"/collaboration/agreements/{agreement.pk}/send/")
    client.logout()
    for side in (setup.world.a, setup.world.b):
        client.login(username=side.admin.username, password=PASSWORD)
        page = client.get(agreement.get_absolute_url()).content.decode()
        assert 'name="organisation"' in page
        client.post(
            f"/collaboration/agreements/{agreement.pk}/sign/", {"organisation": side.org.pk}
        )
        client.logout()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    client.login(username=setup.world.a.editor.username, password=PASSWORD)
    form = {
        "title": "Samarbeidsavtale",
        "purpose": "Endret formål",
        "meeting_cadence": "monthly",
        "starts_on": agreement.current.starts_on.isoformat(),
        "ends_on": agreement.current.ends_on.isoformat(),
    }
    assert client.post(f"/collaboration/agreements/{agreement.pk}/edit/", form).status_code == 302
    diff = client.get(f"/collaboration/agreements/{agreement.pk}/compare/?a=1&b=2").content.decode()
    assert "<del>Samarbeid om helsefag</del>" in diff and "<ins>Endret formål</ins>" in diff


def test_pdf_is_rendered(client, setup):
    agreement = _send_and_sign(setup, setup.agreement())
    client.login(username=setup.world.b.viewer.username, password=PASSWORD)
    response = client.get(f"/collaboration/agreements/{agreement.pk}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Tagged (PDF/UA) in the page's language, with Inter embedded (core/pdf.py).
    from yrkesbro.core.pdf import inflate

    body = inflate(response.content)
    assert b"/StructTreeRoot" in body and b"/Lang (nb)" in body and b"+Inter" in body
    html = client.get(f"/collaboration/agreements/{agreement.pk}/document/").content.decode()
    assert "Studieplasser" in html and setup.world.b.admin.display_name in html


def test_outsider_cannot_read_agreement(client, setup):
    agreement = setup.agreement()
    client.login(username=setup.world.outsider.username, password=PASSWORD)
    for suffix in ("", "document/", "document.pdf", "compare/"):
        assert client.get(f"/collaboration/agreements/{agreement.pk}/{suffix}").status_code == 404
