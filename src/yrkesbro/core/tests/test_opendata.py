"""The open-data catalogue lists every public aggregate in DCAT-AP-NO that a data portal can read."""

from __future__ import annotations

import pytest
from django.test import Client
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from yrkesbro.core import opendata

pytestmark = pytest.mark.django_db

NLOD = URIRef(opendata.NLOD)


def _graph(fmt: str, body: bytes) -> Graph:
    graph = Graph()
    graph.parse(data=body.decode(), format=fmt)
    return graph


@pytest.mark.parametrize(
    ("path", "fmt"), [("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")]
)
def test_catalog_describes_every_dataset_with_licence_and_distributions(path, fmt):
    response = Client().get(f"/open-data/{path}")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    graph = _graph(fmt, response.content)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    registered = opendata.datasets()
    assert {"gaps", "regional-needs"} <= {d.key for d in registered}
    assert len(datasets) == len(registered)
    assert set(graph.objects(catalogs[0], DCAT.dataset)) == datasets
    for dataset in datasets:
        titles = {t.language for t in graph.objects(dataset, DCTERMS.title)}
        assert titles == {"nb", "nn", "en"}
        assert graph.value(dataset, DCTERMS.publisher) is not None
        assert list(graph.objects(dataset, DCAT.theme))
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions
        for dist in distributions:
            assert graph.value(dist, DCTERMS.license) == NLOD
            url = str(graph.value(dist, DCAT.downloadURL))
            path_only = url.split("://", 1)[1].split("/", 1)[1]
            assert Client().get("/" + path_only).status_code == 200, url


def test_titles_are_translated():
    graph = _graph("turtle", Client().get("/open-data/catalog.ttl").content)
    nb_titles = {
        str(t)
        for t in graph.objects(None, DCTERMS.title)
        if isinstance(t, Literal) and t.language == "nb"
    }
    assert "Kompetansebehov etter region" in nb_titles


def test_text_with_quotes_and_newlines_stays_valid_turtle():
    data = opendata.catalog()
    data["datasets"][0]["description"]["nb"] = 'Linje 1\n«sitat» "hermetegn" \\ bakstrek'
    graph = _graph("turtle", opendata.to_turtle(data).encode())
    descriptions = {str(o) for o in graph.objects(None, DCTERMS.description)}
    assert 'Linje 1\n«sitat» "hermetegn" \\ bakstrek' in descriptions


def test_open_data_page_lists_the_datasets_for_people():
    page = Client().get("/open-data/").content.decode()
    assert "Kompetansebehov etter region" in page
    assert "/needs/regional/data.csv" in page
    assert "NLOD" in page
    assert "/open-data/catalog.ttl" in page
