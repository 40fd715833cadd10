"""What a screen-reader user and a person on another language meet, checked over HTTP."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    from yrkesbro.core.demo import load_demo

    load_demo()


def as_user(username: str | None, language: str = "nb") -> Client:
    from django.conf import settings

    from yrkesbro.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nb", "Noe gikk galt"), ("nn", "Noko gjekk gale"), ("en", "Something went wrong")],
)
def test_the_500_page_speaks_the_readers_language(language: str, heading: str) -> None:
    from yrkesbro.core.errorpages import server_error

    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert heading in body and f'<html lang="{language}">' in body


def test_a_failed_submit_prefixes_the_title_and_offers_a_focusable_summary(demo: None) -> None:
    page = as_user("demo-kommune").post("/needs/new/", {"unit": ""}).content.decode()
    assert title(page).startswith("Feil: ")
    assert 'class="ds-error-summary"' in page and 'tabindex="-1"' in page
    ok = as_user("demo-kommune").get("/needs/new/").content.decode()
    assert not title(ok).startswith("Feil")


def test_result_lists_announce_only_their_count(demo: None) -> None:
    for path in ("/catalogue/", "/needs/", "/organisations/"):
        page = as_user("demo-kommune").get(path).content.decode()
        assert 'id="results-status"' in page and 'role="status"' in page, path
        results = re.search(r'<div id="results"[^>]*>', page).group(0)  # type: ignore[union-attr]
        assert "aria-live" not in results, path
        assert 'id="result-count"' in page, path


def test_norwegian_content_is_marked_on_english_pages(demo: None) -> None:
    from yrkesbro.needs.models import Need

    need = Need.objects.filter(organisation__memberships__user__username="demo-kommune").first()
    assert need is not None
    english = as_user("demo-kommune", "en").get(f"/needs/{need.pk}/").content.decode()
    assert f'<span lang="no">{need.unit}</span>' in english
    bokmal = as_user("demo-kommune", "nb").get(f"/needs/{need.pk}/").content.decode()
    assert 'lang="no"' not in bokmal


def test_key_pages_have_unique_titles(demo: None) -> None:
    from yrkesbro.core.tests.key_pages import key_pages

    seen: dict[str, str] = {}
    for username, paths in key_pages().items():
        client = as_user(username)
        for path in paths:
            page_title = title(client.get(path).content.decode())
            key = path.split("?")[0]
            assert seen.get(page_title, key) == key, f"{path} and {seen[page_title]}: {page_title}"
            seen[page_title] = key


def test_the_analyst_reads_county_overviews_and_others_do_not(demo: None) -> None:
    from yrkesbro.organisations.models import Kind, Organisation

    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    url = f"/collaboration/counties/{county.pk}/"
    assert as_user("demo-analytiker").get(url).status_code == 200
    assert url in as_user("demo-analytiker").get("/collaboration/").content.decode()
    assert as_user("demo-fylke").get(url).status_code == 200
    assert as_user("demo-kommune").get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302  # to the log-in page


def test_no_staff_page_button_on_another_organisations_plan(demo: None) -> None:
    from yrkesbro.needs.models import CompetencePlan

    for plan in CompetencePlan.objects.exclude(visibility="private"):
        internal = f"/needs/plans/{plan.pk}/internal/"
        for username in ("demo-kommune", "demo-bedrift", "demo-fylke", "demo-fagskole"):
            client = as_user(username)
            page = client.get(f"/needs/plans/{plan.pk}/")
            if page.status_code != 200:
                continue
            if internal in page.content.decode():
                assert client.get(internal).status_code == 200, (username, plan.pk)
