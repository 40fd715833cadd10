from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yrkesbro.accounts.selectors import memberships_of_user
from yrkesbro.organisations.models import Kind, Organisation


def home(request: HttpRequest) -> HttpResponse:
    """The start page: what each kind of user can do here, and the user's own organisations."""
    memberships = memberships_of_user(actor=request.user) if request.user.is_authenticated else []
    counts = {
        row["kind"]: row["n"]
        for row in Organisation.objects.filter(is_active=True)
        .values("kind")
        .order_by()
        .annotate(n=Count("id"))
    }
    return render(
        request,
        "core/home.html",
        {"memberships": memberships, "counts": counts, "Kind": Kind},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def developers(request: HttpRequest) -> HttpResponse:
    """Our own, accessible page about the API; it links to the generated documentation."""
    return render(request, "core/developers.html")
