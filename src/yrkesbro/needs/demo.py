"""Demo competence plans and needs for thirteen municipalities in eleven counties.

Loaded by ``yrkesbro demo`` after the organisations and users exist. The
municipalities are real; their plans and needs are invented and marked
``is_demo``. Together the needs touch every competence area, including those
no national plan covers yet. Idempotent: a municipality that already has its
demo plan is left alone. Written through the services (as the demo platform
administrator, or Gjøvik's own demo administrator) so history and audit exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.needs import services
from yrkesbro.needs.models import CompetencePlan, Need, Visibility
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

PRIV, INT, S = Visibility.PRIVATE.value, Visibility.INTERNAL.value, "publish"

# (unit, service area, areas, people, urgency, drivers, months ahead, visibility or "publish")
NeedSpec = tuple[str, str, list[str], int, str, list[str], int, str]

PLANS: dict[str, tuple[str, list[NeedSpec]]] = {
    "3407": (
        "Kompetanseplan helse, omsorg og oppvekst",
        [
            (
                "Hjemmetjenesten",
                "health",
                ["demens", "aldring"],
                14,
                "high",
                ["ageing", "home_based"],
                18,
                S,
            ),
            (
                "Hjemmetjenesten",
                "health",
                ["velferdsteknologi"],
                10,
                "high",
                ["technology", "home_based"],
                12,
                S,
            ),
            ("Gjøvik sykehjem", "health", ["lindrende", "kreft"], 6, "medium", ["ageing"], 24, S),
            (
                "Psykisk helse og rus",
                "health",
                ["rus-psykisk"],
                8,
                "high",
                ["coordination_reform"],
                18,
                S,
            ),
            (
                "Bofellesskap Hunndalen",
                "health",
                ["utviklingshemming", "miljoarbeid"],
                5,
                "medium",
                ["other"],
                30,
                INT,
            ),
            (
                "Barnehagene i Gjøvik",
                "upbringing",
                ["flerkulturell", "yngste-barn"],
                12,
                "medium",
                ["other"],
                24,
                INT,
            ),
            (
                "Hverdagsrehabilitering",
                "health",
                ["rehabilitering", "nevrologi"],
                4,
                "low",
                ["coordination_reform"],
                30,
                PRIV,
            ),
            (
                "Barnehagene i Gjøvik",
                "upbringing",
                ["ikt-digital"],
                9,
                "low",
                ["technology"],
                36,
                PRIV,
            ),
        ],
    ),
    "3405": (
        "Kompetanseplan 2026–2029",
        [
            (
                "Lillehammer helsehus",
                "health",
                ["rehabilitering", "habilitering"],
                7,
                "medium",
                ["coordination_reform"],
                20,
                S,
            ),
            (
                "Hjemmesykepleien",
                "health",
                ["ernaering", "aldring"],
                9,
                "medium",
                ["ageing"],
                24,
                S,
            ),
            (
                "Barnehagene",
                "upbringing",
                ["spesialpedagogikk", "saerskilte-behov"],
                6,
                "high",
                ["other"],
                14,
                S,
            ),
        ],
    ),
    "3403": (
        "Strategisk kompetanseplan",
        [
            ("Hamar sykehjem", "health", ["demens", "smittevern"], 11, "high", ["ageing"], 12, S),
            ("Helsestasjonen", "health", ["barsel", "forebygging"], 4, "low", ["other"], 30, S),
            (
                "Tildelingskontoret",
                "health",
                ["helseadministrasjon"],
                3,
                "low",
                ["technology"],
                24,
                INT,
            ),
        ],
    ),
    "0301": (
        "Kompetanseløft i bydelene",
        [
            (
                "Bydel Grünerløkka, hjemmetjenesten",
                "health",
                ["rus-psykisk", "flerkulturell"],
                40,
                "high",
                ["home_based"],
                18,
                S,
            ),
            ("Sykehjemsetaten", "health", ["demens", "lindrende"], 60, "high", ["ageing"], 24, S),
            (
                "Barnehager i Bydel Stovner",
                "upbringing",
                ["flerkulturell", "tidlig-innsats"],
                35,
                "medium",
                ["other"],
                24,
                S,
            ),
            (
                "Bydel Gamle Oslo, helsestasjon",
                "health",
                ["forebygging", "veiledning"],
                12,
                "medium",
                ["other"],
                30,
                PRIV,
            ),
        ],
    ),
    "4601": (
        "Kompetanseplan for helse og velferd",
        [
            (
                "Hjemmebaserte tjenester Årstad",
                "health",
                ["velferdsteknologi", "ikt-digital"],
                25,
                "high",
                ["technology", "home_based"],
                18,
                S,
            ),
            (
                "Bergen sykehjem",
                "health",
                ["nevrologi", "rehabilitering"],
                15,
                "medium",
                ["ageing"],
                24,
                S,
            ),
            ("Bofellesskap", "health", ["utviklingshemming"], 12, "medium", ["other"], 30, INT),
        ],
    ),
    "5001": (
        "Kompetanseplan oppvekst og helse",
        [
            (
                "Barnehagene i Trondheim",
                "upbringing",
                ["yngste-barn", "spesialpedagogikk"],
                30,
                "medium",
                ["other"],
                24,
                S,
            ),
            (
                "Helsehuset",
                "health",
                ["kreft", "ernaering"],
                10,
                "medium",
                ["coordination_reform"],
                24,
                S,
            ),
            (
                "Enhet for funksjonshemmede",
                "health",
                ["habilitering", "miljoarbeid"],
                9,
                "high",
                ["other"],
                14,
                S,
            ),
        ],
    ),
    "5501": (
        "Kompetanseplan 2026–2028",
        [
            (
                "Hjemmetjenesten Tromsøya",
                "health",
                ["demens", "velferdsteknologi"],
                13,
                "high",
                ["ageing", "technology"],
                15,
                S,
            ),
            (
                "Barnehagene",
                "upbringing",
                ["flerkulturell", "ikt-digital"],
                8,
                "low",
                ["technology"],
                30,
                S,
            ),
        ],
    ),
    "1804": (
        "Kompetanseplan for tjenesteområdene",
        [
            (
                "Bodø sykehjem",
                "health",
                ["lindrende", "smittevern"],
                9,
                "medium",
                ["ageing"],
                20,
                S,
            ),
            (
                "Psykisk helse",
                "health",
                ["rus-psykisk", "veiledning"],
                6,
                "high",
                ["coordination_reform"],
                12,
                S,
            ),
        ],
    ),
    "4204": (
        "Kompetanseplan helse og mestring",
        [
            (
                "Hjemmetjenesten",
                "health",
                ["aldring", "ernaering"],
                18,
                "medium",
                ["ageing", "home_based"],
                24,
                S,
            ),
            (
                "Barnehagene",
                "upbringing",
                ["tidlig-innsats", "saerskilte-behov"],
                14,
                "high",
                ["other"],
                14,
                S,
            ),
        ],
    ),
    "1103": (
        "Kompetanseplan 2026–2029",
        [
            (
                "Stavanger helsehus",
                "health",
                ["nevrologi", "rehabilitering"],
                12,
                "medium",
                ["coordination_reform"],
                24,
                S,
            ),
            (
                "Helsestasjon og skolehelsetjeneste",
                "health",
                ["forebygging", "barsel"],
                7,
                "low",
                ["other"],
                30,
                S,
            ),
        ],
    ),
    "3301": (
        "Kompetanseplan for Drammen kommune",
        [
            (
                "Bo- og aktivitetstilbud",
                "health",
                ["utviklingshemming", "habilitering"],
                10,
                "medium",
                ["other"],
                24,
                S,
            ),
            (
                "Barnehagene",
                "upbringing",
                ["flerkulturell", "miljoarbeid"],
                16,
                "medium",
                ["other"],
                24,
                S,
            ),
        ],
    ),
    "1507": (
        "Kompetanseplan helse og omsorg",
        [
            ("Ålesund sjukeheim", "health", ["demens", "kreft"], 10, "high", ["ageing"], 18, S),
            (
                "Heimetenesta",
                "health",
                ["velferdsteknologi", "helseadministrasjon"],
                8,
                "medium",
                ["technology"],
                24,
                S,
            ),
        ],
    ),
    "3107": (
        "Kompetanseplan 2026–2029",
        [
            (
                "Fredrikstad sykehjem",
                "health",
                ["aldring", "smittevern"],
                14,
                "medium",
                ["ageing"],
                24,
                S,
            ),
            (
                "Barnehagene",
                "upbringing",
                ["ikt-digital", "yngste-barn"],
                11,
                "low",
                ["technology"],
                30,
                S,
            ),
        ],
    ),
}

DESCRIPTION = (
    "Demodata: {unit} trenger flere ansatte med kompetanse innen {areas}. "
    "Behovet er beskrevet i kommunens kompetanseplan."
)
FUNDING = "Kommunen dekker studieavgift og reise; ansatte beholder lønn på samlingsdager."


def _deadline(months: int) -> dt.date:
    today = timezone.localdate()
    month = today.month - 1 + months
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


@transaction.atomic
def load() -> None:
    system = User.objects.filter(username="demo-admin").first()
    if system is None:  # the core demo creates it first; nothing to do without it
        return
    gjovik_admin = User.objects.filter(username="demo-kommune").first()
    names = dict(CompetenceArea.objects.values_list("code", "name_nb"))
    for number, (title, needs) in PLANS.items():
        org = Organisation.objects.filter(kind=Kind.MUNICIPALITY, number=number).first()
        if org is None or CompetencePlan.objects.filter(organisation=org, is_demo=True).exists():
            continue
        actor = gjovik_admin if number == "3407" and gjovik_admin else system
        start = timezone.localdate().year
        plan = services.plan_create(
            actor=actor,
            organisation=org,
            data={
                "title": title,
                "start_year": start,
                "end_year": start + 3,
                "summary": "Demodata. Planen viser hvilke kompetanseområder kommunen prioriterer "
                "i perioden, og hvor mange ansatte som bør ta videreutdanning.",
                "visibility": Visibility.SHARED if number != "3405" else Visibility.INTERNAL,
            },
        )
        CompetencePlan.objects.filter(pk=plan.pk).update(is_demo=True)
        ids = []
        for unit, service_area, codes, people, urgency, drivers, months, state in needs:
            need = services.need_create(
                actor=actor,
                organisation=org,
                area_codes=codes,
                data={
                    "unit": unit,
                    "service_area": service_area,
                    "people": people,
                    "urgency": urgency,
                    "drivers": drivers,
                    "deadline": _deadline(months),
                    "description": DESCRIPTION.format(
                        unit=unit, areas=", ".join(names.get(c, c).lower() for c in codes)
                    ),
                    "funding": FUNDING,
                    "online_ok": True,
                    "part_time_ok": True,
                    "evenings_ok": urgency != "high",
                    "max_travel_minutes": 90,
                    "visibility": INT if state == S else state,
                },
            )
            if state == S:
                need = services.need_publish(actor=actor, need=need)
            ids.append(need.pk)
        Need.objects.filter(pk__in=ids).update(is_demo=True)
        services.plan_set_needs(actor=actor, plan=plan, need_ids=ids)
        if number in ("3407", "0301", "4601", "5001"):
            services.plan_approve(actor=actor, plan=plan)
    # One need of the demo company, so companies show up too.
    _company_need(system)


def _company_need(actor: User) -> None:
    company = Organisation.objects.filter(name="Mjøsa Omsorg AS (demo)").first()
    if company is None or company.needs.exists():
        return
    need = services.need_create(
        actor=actor,
        organisation=company,
        area_codes=["demens", "velferdsteknologi"],
        data={
            "unit": "Omsorgsboliger",
            "service_area": "health",
            "people": 6,
            "urgency": "medium",
            "drivers": ["ageing", "technology"],
            "deadline": _deadline(18),
            "description": "Demodata: private omsorgsboliger med økende andel beboere med demens.",
            "visibility": INT,
        },
    )
    need = services.need_publish(actor=actor, need=need)
    Need.objects.filter(pk=need.pk).update(is_demo=True)
