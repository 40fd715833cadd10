"""The key pages of every app for each demo role, built from the demo data.

Shared by the reflow browser test, the raw-value and date scans, and tools/screenshots.py.
"""

from __future__ import annotations


def key_pages() -> dict[str | None, list[str]]:
    """Each demo role's key pages, built from the demo data (None: not signed in)."""
    from yrkesbro.accounts.models import Membership
    from yrkesbro.catalogue.models import Programme
    from yrkesbro.collaboration.models import Agreement, Meeting, Partnership
    from yrkesbro.matching.models import Request
    from yrkesbro.needs.models import CompetencePlan, Need
    from yrkesbro.organisations.models import Kind, Organisation

    def org_of(username: str) -> Organisation:
        return Membership.objects.filter(user__username=username).first().organisation  # type: ignore[union-attr]

    kommune = org_of("demo-kommune")
    school = org_of("demo-fagskole")
    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    need = Need.objects.filter(organisation=kommune).order_by("pk").first()
    plan = CompetencePlan.objects.filter(organisation=kommune).order_by("pk").first()
    partnership = Partnership.objects.filter(parties__organisation=kommune).order_by("pk").first()
    agreement = Agreement.objects.filter(partnership=partnership).order_by("pk").first()
    meeting = Meeting.objects.filter(forum__partnership=partnership).order_by("pk").first()
    request = Request.objects.order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    assert need and plan and partnership and agreement and meeting and request and programme

    return {
        None: [
            "/",
            "/organisations/",
            "/catalogue/",
            "/catalogue/?q=demens",
            f"/catalogue/programmes/{programme.pk}/",
            "/catalogue/overview/",
            "/needs/regional/",
            "/collaboration/",
            "/developers/",
            "/workforce/outcomes/",
        ],
        "demo-kommune": [
            "/",
            "/needs/",
            f"/needs/{need.pk}/",
            "/needs/new/",
            f"/needs/plans/{plan.pk}/",
            f"/matching/needs/{need.pk}/",
            "/matching/",
            "/matching/requests/",
            f"/matching/requests/{request.pk}/",
            "/matching/gaps/",
            f"/collaboration/partnerships/{partnership.pk}/",
            f"/collaboration/agreements/{agreement.pk}/",
            f"/collaboration/meetings/{meeting.pk}/",
            f"/organisations/{kommune.pk}/",
            f"/organisations/{kommune.pk}/audit/",
        ],
        "demo-ansatt": ["/needs/", f"/needs/plans/{plan.pk}/internal/"],
        "demo-fagskole": [
            f"/catalogue/schools/{school.pk}/",
            f"/catalogue/schools/{school.pk}/import/",
            f"/matching/schools/{school.pk}/",
        ],
        "demo-fylke": [f"/collaboration/counties/{county.pk}/", "/needs/regional/?county=34"],
        "demo-vgs": ["/collaboration/"],
        "demo-bedrift": ["/needs/"],
        "demo-analytiker": ["/matching/gaps/", f"/collaboration/counties/{county.pk}/"],
        "demo-admin": ["/taxonomy/", "/organisations/new/"],
    }
