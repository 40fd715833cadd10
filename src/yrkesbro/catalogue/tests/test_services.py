from __future__ import annotations

import pytest

from yrkesbro.catalogue import search, services
from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.models import AuditEntry

OFFERING = {
    "delivery": "online",
    "pace": "part-time",
    "start_date": "2027-08-16",
    "semesters": 4,
    "funding": "state-funded",
}


def test_editor_creates_updates_and_deletes_with_audit(schools):
    a = schools.a
    p = services.programme_create(
        actor=a.editor,
        school=a.school,
        data={"title": "Palliasjon", "field": "health", "credits": 60, "code": "ALFA-PALL"},
    )
    services.programme_update(actor=a.editor, programme=p, data={"title": "Lindrende pleie"})
    assert [h.programme_id for h in search.rank("lindrende")] == [p.pk]
    o = services.offering_create(actor=a.editor, programme=p, data=dict(OFFERING))
    services.offering_update(actor=a.editor, offering=o, data={"seats": 30})
    services.offering_delete(actor=a.editor, offering=o)
    services.programme_delete(actor=a.editor, programme=p)
    actions = list(
        AuditEntry.objects.filter(organisation=a.school).values_list("action", flat=True)
    )
    for action in (
        "programme.create",
        "programme.update",
        "offering.create",
        "offering.update",
        "offering.delete",
        "programme.delete",
    ):
        assert action in actions
    assert list(search.rank("lindrende")) == []


@pytest.mark.parametrize("who", ["viewer", "outsider", "other_editor", "other_admin"])
def test_others_cannot_touch_a_school_programmes(schools, who):
    a = schools.a
    actor = {
        "viewer": a.viewer,
        "outsider": schools.outsider,
        "other_editor": schools.b.editor,
        "other_admin": schools.b.admin,
    }[who]
    before = Programme.objects.get(pk=a.programme.pk).title
    with pytest.raises(NotAllowed):
        services.programme_update(actor=actor, programme=a.programme, data={"title": "Hacked"})
    with pytest.raises(NotAllowed):
        services.programme_delete(actor=actor, programme=a.programme)
    with pytest.raises(NotAllowed):
        services.programme_create(
            actor=actor, school=a.school, data={"title": "X", "field": "health", "credits": 60}
        )
    with pytest.raises(NotAllowed):
        services.offering_create(actor=actor, programme=a.programme, data=dict(OFFERING))
    assert Programme.objects.get(pk=a.programme.pk).title == before
    assert Programme.objects.editable_by(actor).filter(pk=a.programme.pk).count() == 0
    assert Offering.objects.filter(programme=a.programme).count() == 0


def test_editable_by_scopes_to_own_school(schools):
    assert list(Programme.objects.editable_by(schools.a.editor)) == [schools.a.programme]
    assert Programme.objects.editable_by(schools.platform_admin).count() == 2
    assert Programme.objects.visible_to(schools.outsider).count() == 2


@pytest.mark.parametrize(
    "data,field",
    [
        ({"credits": 20}, "credits"),
        ({"credits": 150}, "credits"),
        ({"title": ""}, "title"),
        ({"code": "BETA-DEMENS"}, "code"),
    ],
)
def test_programme_rules(schools, data, field):
    with pytest.raises(DomainError) as exc:
        services.programme_update(actor=schools.a.editor, programme=schools.a.programme, data=data)
    assert exc.value.field == field


def test_offering_rules(schools):
    p = schools.a.programme
    bad = [
        ({**OFFERING, "end_date": "2027-01-01"}, "end_date"),
        ({**OFFERING, "application_deadline": "2027-09-01"}, "application_deadline"),
        ({**OFFERING, "delivery": "campus"}, "municipality"),
        ({**OFFERING, "semesters": 12}, "semesters"),
    ]
    for data, field in bad:
        import datetime as dt

        for key in ("start_date", "end_date", "application_deadline"):
            if key in data:
                data[key] = dt.date.fromisoformat(data[key])
        with pytest.raises(DomainError) as exc:
            services.offering_create(actor=schools.a.editor, programme=p, data=data)
        assert exc.value.field == field
    assert Offering.objects.count() == 0
