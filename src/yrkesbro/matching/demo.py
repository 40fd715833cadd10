"""Demo data for matching, loaded by `yrkesbro demo` after needs and the catalogue (idempotent).

Gjøvik's published dementia need asks Fagskolen Innlandet for places on its dementia
programme, and the school has answered with an offer the municipality can accept. The
precomputed matches of every demo need are refreshed.
"""

from __future__ import annotations

from yrkesbro.accounts.models import User
from yrkesbro.catalogue.models import Delivery, Offering
from yrkesbro.matching import services, tasks
from yrkesbro.matching.models import Request, RequestKind
from yrkesbro.needs.models import Need, Status
from yrkesbro.organisations.models import Kind, Organisation


def load() -> None:
    _sample_request()
    tasks.refresh_stale_now()


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
