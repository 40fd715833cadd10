"""Platform administrators version the questionnaire on the web: list, edit, review, publish."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yrkesbro.core.models import AuditEntry
from yrkesbro.health import selectors, services
from yrkesbro.health.defaults import DEFAULT_ITEMS
from yrkesbro.health.models import Item, ItemSet
from yrkesbro.health.tests.conftest import Pulse
from yrkesbro.health.tests.test_pages import client_for as signed_in

pytestmark = pytest.mark.django_db
LIST = "/health/item-sets/"
NEW = "/health/item-sets/new/"


def client_for(user: Any = None) -> Client:
    """Signed in, reading English (the texts asserted below)."""
    client = signed_in(user)
    client.cookies["django_language"] = "en"
    return client


def form_of(item_set: ItemSet | None, **changes: str) -> dict[str, str]:
    """The editor's fields for ``item_set`` (the default set for None), with ``changes``."""
    if item_set is None:
        rows = [(i.nb, i.nn, i.en) for i in DEFAULT_ITEMS]
    else:
        rows = [(i.text_nb, i.text_nn, i.text_en) for i in item_set.items.all()]
    data = {"base": str(item_set.version if item_set else 0), "note": ""}
    for index, texts in enumerate(rows):
        for lang, text in zip(("nb", "nn", "en"), texts, strict=True):
            data[f"item-{index}-{lang}"] = text
    data.update(changes)
    return data


def test_only_platform_administrators_reach_the_editor(pulse: Pulse) -> None:
    assert Client().get(LIST).status_code == 302  # to log-in
    assert Client().post(NEW, form_of(None, step="publish")).status_code == 302
    for user in (pulse.world.a.admin, pulse.world.b.editor, pulse.world.outsider):
        client = client_for(user)
        assert client.get(LIST).status_code == 404
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, form_of(None, step="publish")).status_code == 404
    assert not ItemSet.objects.exists()
    # The link in the sub-menu is for platform administrators only.
    assert LIST not in client_for(pulse.world.a.admin).get("/health/").content.decode()
    assert LIST in client_for(pulse.world.platform_admin).get("/health/").content.decode()


def test_empty_state_then_edit_review_publish(pulse: Pulse) -> None:
    admin = client_for(pulse.world.platform_admin)
    page = admin.get(LIST).content.decode()
    assert "No version is published yet" in page
    editor = admin.get(NEW).content.decode()
    assert DEFAULT_ITEMS[0].nn in editor and 'lang="nn"' in editor

    changed = "Vi deler eit tydeleg mål."
    data = form_of(None, **{"item-0-nn": changed, "note": "Klarare nynorsk"})
    review = admin.post(NEW, data | {"step": "review"})
    text = review.content.decode()
    assert review.status_code == 200 and "Publish version 1?" in text and changed in text
    assert not ItemSet.objects.exists()  # the review step publishes nothing

    back = admin.post(NEW, data | {"step": "edit"}).content.decode()
    assert f'value="{changed}"' in back  # back to editing keeps the texts

    done = admin.post(NEW, data | {"step": "publish"})
    assert done.status_code == 302 and done["Location"] == LIST
    v1 = ItemSet.objects.get(is_current=True)
    assert v1.version == 1 and v1.note == "Klarare nynorsk"
    assert v1.items.get(position=1).text_nn == changed
    assert [i.code for i in v1.items.all()] == [i.code for i in DEFAULT_ITEMS]
    assert AuditEntry.objects.filter(action="health.item_set_create").exists()
    listing = admin.get(LIST).content.decode()
    assert "Klarare nynorsk" in listing and changed in listing


def test_old_answers_stay_tied_to_their_version(pulse: Pulse) -> None:
    round_ = pulse.start()
    for user in pulse.side_a[:3]:
        pulse.answer(round_, user)
    old = round_.item_set
    admin = client_for(pulse.world.platform_admin)
    data = form_of(old, **{"item-0-en": "We share one clear goal."}, step="publish")
    assert admin.post(NEW, data).status_code == 302
    new = ItemSet.objects.get(is_current=True)
    assert new.version == old.version + 1
    round_.refresh_from_db()
    assert round_.item_set_id == old.pk  # the open round keeps what it asked
    assert services.current_item_set() == new
    assert Item.objects.get(item_set=old, position=1).text_en != "We share one clear goal."
    assert admin.get(LIST).content.decode().count('<details class="yb-history"') == 2
    # how many rounds asked each version, newest first
    counts = [(v.version, v.round_count) for v in selectors.item_set_versions()]
    assert counts == [(new.version, 0), (old.version, 1)]


@pytest.mark.parametrize(
    "change",
    [
        {"item-0-nb": ""},
        {"item-1-en": "   "},
        {"item-2-nn": "Linje\nBcc: x@example.test"},
        {"item-0-nb": "Kontroll\x00tegn"},
        {"item-3-en": "x" * 301},
        {"item-0-nb": "x" * 100_000},
        {"note": "y" * 301},
        {"base": "99999999999999999999"},
        {"base": "-1"},
    ],
)
def test_hostile_input_is_refused_clearly_and_changes_nothing(
    pulse: Pulse, change: dict[str, str]
) -> None:
    admin = client_for(pulse.world.platform_admin)
    before = ItemSet.objects.count()
    for step in ("review", "publish"):
        response = admin.post(NEW, form_of(None, **change) | {"step": step})
        assert response.status_code == 400, (change, step)
        assert 'id="item-set-error"' in response.content.decode()
    assert ItemSet.objects.count() == before


def test_forged_codes_and_extra_items_are_ignored(pulse: Pulse) -> None:
    admin = client_for(pulse.world.platform_admin)
    data: dict[str, Any] = form_of(None, step="publish")
    data |= {"item-0-code": "hacked", "item-99-nb": "Ekstra", "item-99-nn": "x", "item-99-en": "x"}
    assert admin.post(NEW, data).status_code == 302
    codes = list(ItemSet.objects.get().items.values_list("code", flat=True))
    assert codes == [i.code for i in DEFAULT_ITEMS]


def test_a_version_published_meanwhile_is_not_overwritten(pulse: Pulse) -> None:
    admin = client_for(pulse.world.platform_admin)
    stale = form_of(None, step="publish")  # started from the default set
    services.current_item_set()  # meanwhile: version 1
    response = admin.post(NEW, stale)
    assert response.status_code == 400 and "published meanwhile" in response.content.decode()
    assert ItemSet.objects.count() == 1
