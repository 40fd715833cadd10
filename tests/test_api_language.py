"""Every API validation detail follows Accept-Language (issue 13): pydantic's English
("Field required", "Input should be ...", "Value error, ...") never reaches a caller."""

from __future__ import annotations

import json

import pytest

from yrkesbro.accounts.services import token_create

pytestmark = pytest.mark.django_db

ENGLISH_FROM_PYDANTIC = ("Field required", "Input should", "Value error", "String should")

# (method, path, body): each body breaks many rules at once.
BAD_INPUTS = [
    (
        "post",
        "/api/v1/partnerships",
        {
            "name": "",
            "purpose": "a\x00b",
            "organisation_ids": [0],
            "bindingness": "binding",
            "is_public": "maybe",
            "competence_areas": "x",
        },
    ),
    ("post", "/api/v1/needs", {"title": "x" * 500, "due": "tomorrow", "count": 1.5}),
    ("post", "/api/v1/meetings", {"forum_id": "abc", "starts_at": "2026-01-01T10:00"}),
    ("post", "/api/v1/agreements", {"partnership_id": 10**30, "starts_on": "1066-10-14"}),
    ("get", "/api/v1/needs?limit=0&offset=-1", None),
    ("get", "/api/v1/programmes?limit=1000", None),
    ("patch", "/api/v1/partnerships/1", {"competence_areas": ["a"] * 500, "trades": 5}),
    ("post", "/api/v1/vet/offers", {"trade_id": None, "places": -1}),
]


def _details(client, token, language):  # type: ignore[no-untyped-def]
    found = []
    for method, path, body in BAD_INPUTS:
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code == 422, (path, response.content)
        found += [(path, e["detail"]) for e in response.json()["errors"]]
    return found


def test_validation_details_follow_accept_language(client, world):
    token = token_create(actor=world.a.admin, user=world.a.admin, name="t")[1]
    english = _details(client, token, "en")
    nynorsk = _details(client, token, "nn")
    bokmal = _details(client, token, "nb")
    assert len(english) >= 15  # the bodies above break that many rules
    assert len(english) == len(nynorsk) == len(bokmal)
    for (path, en), (_p, nn), (_q, nb) in zip(english, nynorsk, bokmal, strict=True):
        assert en and not en.startswith(ENGLISH_FROM_PYDANTIC), (path, en)
        assert nn != en and nb != en, (path, en, nn, nb)  # translated, not passed through
    assert any("ikkje" in nn or "vere" in nn or "må" in nn.lower() for _p, nn in nynorsk)
