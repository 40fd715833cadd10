"""Demo data for matching, loaded by `yrkesbro demo` after needs and the catalogue (idempotent).

Gjøvik's published dementia need asks Fagskolen Innlandet for places on its dementia
programme, and the school has answered with an offer the municipality can accept.
Fagskolen Oslo has a new programme in multicultural health that follows no national plan
but names its own competence area, so it ranks for Oslo's multicultural need. The
precomputed matches of every demo need are refreshed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.catalogue import services as catalogue_services
from yrkesbro.catalogue.models import Delivery, Funding, Offering, Pace, Programme
from yrkesbro.matching import services, tasks
from yrkesbro.matching.models import Request, RequestKind
from yrkesbro.needs.models import Need, Status
from yrkesbro.organisations.models import Kind, Organisation

MULTICULTURAL_CODE = "FOSLO-FLERKULT"


def load() -> None:
    _sample_request()
    _multicultural_programme()
    tasks.refresh_stale_now()


def _multicultural_programme() -> None:
    """A programme without a national plan that names its own competence area."""
    school = Organisation.objects.filter(kind=Kind.FAGSKOLE, code="FOSLO").first()
    oslo = Organisation.objects.filter(kind=Kind.MUNICIPALITY, number="0301").first()
    if school is None or oslo is None or Programme.objects.filter(code=MULTICULTURAL_CODE).exists():
        return
    programme = catalogue_services.programme_create(
        actor=None,
        school=school,
        data={
            "code": MULTICULTURAL_CODE,
            "title": "Flerkulturell helse og omsorg",
            "field": "health",
            "credits": 60,
            "nkr_level": "5.1",
            "competence_areas": ["flerkulturell"],
            "description": "Demodata: for helsefagarbeidere og andre ansatte i "
            "hjemmetjenesten, på sykehjem og på helsestasjoner som møter brukere med ulik "
            "språklig og kulturell bakgrunn. Studiet handler om flerkulturell kompetanse, "
            "kommunikasjon med tolk, migrasjonshelse, psykisk helse og traumer hos "
            "flyktninger. Studiet følger ingen nasjonal plan; skolen har selv oppgitt "
            "kompetanseområdet.",
            "outcomes_knowledge": "migrasjon og helse, kultur og forståelse av sykdom, psykisk "
            "helse og traumer hos flyktninger og innvandrere, bruk av tolk",
            "outcomes_skills": "kommunisere med flerspråklige brukere og pårørende, tilpasse "
            "informasjon og omsorg til brukerens bakgrunn",
            "outcomes_general_competence": "møte brukere med respekt og kulturforståelse; "
            "bidra til likeverdige tjenester",
            "is_demo": True,
        },
    )
    today = timezone.localdate()
    month = today.month - 1 + 6  # starts in six months, before the demo needs' deadlines
    start = dt.date(today.year + month // 12, month % 12 + 1, 1)
    catalogue_services.offering_create(
        actor=None,
        programme=programme,
        data={
            "code": f"{MULTICULTURAL_CODE}-1",
            "municipality": oslo,
            "place": "Oslo",
            "delivery": Delivery.BLENDED,
            "pace": Pace.PART_TIME,
            "start_date": start,
            "semesters": 4,
            "seats": 40,
            "funding": Funding.STATE_FUNDED,
            "price_nok": 0,
            "status": "open",
            "is_demo": True,
        },
    )


def _sample_request() -> None:
    kommune = User.objects.filter(username="demo-kommune").first()
    fagskole = User.objects.filter(username="demo-fagskole").first()
    gjovik = Organisation.objects.filter(kind=Kind.MUNICIPALITY, number="3407").first()
    school = Organisation.objects.filter(kind=Kind.FAGSKOLE, code="FINN").first()
    offering = Offering.objects.filter(code="FINN-DEMENS-1").select_related("programme").first()
    if kommune is None or fagskole is None or gjovik is None or school is None or offering is None:
        return
    need = (
        Need.objects.filter(organisation=gjovik, status=Status.PUBLISHED, areas__code="demens")
        .order_by("pk")
        .first()
    )
    if need is None or Request.objects.filter(need=need, school=school, is_demo=True).exists():
        return
    request = services.request_create(
        actor=kommune,
        need=need,
        school=school,
        offering=offering,
        kind=RequestKind.PLACE,
        people=need.people,
        message="Demodata: Vi ønsker plasser til ansatte i hjemmetjenesten på "
        "videreutdanningen i demensomsorg, gjerne med samlinger i Gjøvik.",
    )
    request = services.request_offer(
        actor=fagskole,
        request=request,
        data={
            "programme": offering.programme,
            "offering": offering,
            "seats": need.people,
            "price_nok": 0,
            "delivery": Delivery.BLENDED,
            "answer": "Demodata: Vi setter av plasser på kullet som starter i august, "
            "med samlinger på campus Gjøvik.",
        },
    )
    Request.objects.filter(pk=request.pk).update(is_demo=True)
