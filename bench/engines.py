"""What one row of a list costs in Django's template engine, and what it would cost elsewhere.

Run with ``.venv/bin/python bench/engines.py [--rows 25] [--repeat 400]``. No database:
the rows are unsaved organisations held in memory, so only rendering is measured.

The same row of the organisations list (``organisations/partials/results.html``: a link,
a kind label, three plain values and the county's name) is written four ways:

- **values**: the row's values computed in Python (the URL, the kind's label, the names),
  without any HTML: what every way below pays at least;
- **python**: ``format_html`` with those values, as ``core/renderers.py`` does for widgets;
- **jinja2**: the same markup as a Jinja2 template (Jinja2 comes with locust's Flask, a
  development dependency);
- **django**: the list's own row loop, read from its template, and the list's whole partial
  with its count, caption and pagination.

Per row is (time for ``--rows`` rows − time for one row) / (rows − 1), the median of
``--repeat`` renderings, in µs. docs/decisions/0007-page-budget.md reads these figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The list's own row loop, read from its template (so this bench measures what the page
# renders); Jinja2's copy below must write the same rows (checked before measuring).
PARTIAL = "organisations/partials/results.html"
ROW_LOOP = re.compile(r"{% for org in page\.object_list %}.*?{% endfor %}", re.DOTALL)

JINJA_ROW = """{% for org in orgs %}
  <tr>
    <td><a href="{{ org.get_absolute_url() }}">{{ org.name }}</a>{% if org.is_demo %} <span class="ds-tag" data-color="warning" data-size="sm">{{ _("demo") }}</span>{% endif %}</td>
    <td>{{ org.get_kind_display() }}</td>
    <td>{{ org.number or "–" }}</td>
    <td>{{ org.org_number or "–" }}</td>
    <td>{% if org.kind == "county" %}{{ org.name }}{% else %}{{ org.county.name if org.county else "–" }}{% endif %}</td>
  </tr>
  {% endfor %}"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=400)
    return parser.parse_args(argv)


def median_us(render: Callable[[], object], repeat: int) -> float:
    for _ in range(20):
        render()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if "YRKESBRO_HOME" not in os.environ:  # settings want one; nothing is written there
        os.environ["YRKESBRO_HOME"] = tempfile.mkdtemp(prefix="yrkesbro-engines-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    import jinja2
    from django.core.paginator import Paginator
    from django.template import engines
    from django.template.loader import get_template, render_to_string
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext

    from yrkesbro.organisations.models import Kind, Organisation

    county = Organisation(pk=1, name="Innlandet", kind=Kind.COUNTY, number="34")

    def organisations(n: int) -> list[Organisation]:
        return [
            Organisation(
                pk=100 + i,
                name=f"Organisasjon {i}",
                kind=Kind.UPPER_SECONDARY_SCHOOL if i % 2 else Kind.COMPANY,
                number="",
                org_number=f"{900000000 + i}",
                county=county,
                is_demo=i % 5 == 0,
            )
            for i in range(n)
        ]

    source = get_template(PARTIAL).template.source  # type: ignore[attr-defined]
    loop = ROW_LOOP.search(source)
    assert loop, f"no row loop in {PARTIAL}"
    row = loop.group(0).replace("page.object_list", "orgs")
    django_rows = engines["django"].from_string("{% load i18n %}" + row)
    jinja = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinja.install_gettext_callables(gettext=gettext, ngettext=None, newstyle=True)  # type: ignore[attr-defined]
    jinja_rows = jinja.from_string(JINJA_ROW)
    request = RequestFactory().get("/organisations/")

    def values(orgs: list[Organisation]) -> object:
        return [
            (
                o.get_absolute_url(),
                o.name,
                o.is_demo,
                o.get_kind_display(),
                o.number or "–",
                o.org_number or "–",
                o.name if o.kind == Kind.COUNTY else (o.county.name if o.county else "–"),
            )
            for o in orgs
        ]

    def python(orgs: list[Organisation]) -> object:
        demo = format_html(
            ' <span class="ds-tag" data-color="warning" data-size="sm">{}</span>', gettext("demo")
        )
        return format_html_join(
            "",
            '\n  <tr>\n    <td><a href="{}">{}</a>{}</td>\n    <td>{}</td>\n    <td>{}</td>'
            "\n    <td>{}</td>\n    <td>{}</td>\n  </tr>\n  ",
            ((u, n, demo if d else "", k, nu, on, c) for u, n, d, k, nu, on, c in values(orgs)),  # type: ignore[attr-defined]
        )

    ways: dict[str, Callable[[list[Organisation]], object]] = {
        "values": values,
        "python": python,
        "jinja2": lambda orgs: jinja_rows.render(orgs=orgs),
        "django": lambda orgs: django_rows.render({"orgs": orgs}),
        "django, the real partial": lambda orgs: render_to_string(
            "organisations/partials/results.html",
            {"page": Paginator(orgs, args.rows).get_page(1)},
            request,
        ),
    }
    with translation.override("nb"):
        measure(ways, organisations, args.rows, args.repeat)
    return 0


def measure(
    ways: dict[str, Callable[[list], object]], organisations: Callable, rows: int, repeat: int
) -> None:
    four = organisations(4)  # every way writes the same rows
    assert "Organisasjon 3" in str(ways["django"](four))
    assert str(ways["jinja2"](four)).strip() == str(ways["django"](four)).strip()
    assert str(ways["python"](four)).strip() == str(ways["django"](four)).strip()
    many, one = organisations(rows), organisations(1)
    print(f"{'way':<28} {'1 row µs':>10} {f'{rows} rows µs':>12} {'per row µs':>11}")
    for name, way in ways.items():
        first = median_us(lambda way=way: way(one), repeat)
        full = median_us(lambda way=way: way(many), repeat)
        per_row = (full - first) / (rows - 1)
        print(f"{name:<28} {first:>10.0f} {full:>12.0f} {per_row:>11.1f}")


if __name__ == "__main__":
    sys.exit(main())
