"""``Mapped``: a paginated API list turns only the page it answers into items."""

from __future__ import annotations

from yrkesbro.core.api import Mapped, Pagination
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import OrganisationFactory


def test_only_the_page_is_mapped_and_the_count_is_sql(db):  # type: ignore[no-untyped-def]
    for _ in range(7):
        OrganisationFactory()
    seen: list[int] = []

    def to_item(org: Organisation) -> dict[str, object]:
        seen.append(org.pk)
        return {"id": org.pk}

    qs = Organisation.objects.order_by("pk")
    paginator = Pagination()
    page = Pagination.Input(limit=3, offset=2)
    answer = paginator.paginate_queryset(Mapped(qs, to_item), page, None)  # type: ignore[arg-type]
    assert answer["count"] == qs.count()
    ids = list(qs.values_list("pk", flat=True))
    assert [i["id"] for i in answer["items"]] == ids[2:5]
    assert seen == ids[2:5]  # nothing outside the page was built
