from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.catalogue import charts, importer, search, selectors, services, uploads
from yrkesbro.catalogue.forms import OfferingForm, ProgrammeForm, SearchForm, UploadForm
from yrkesbro.catalogue.models import SCHOOL_KINDS, NationalPlan, Offering, Programme
from yrkesbro.catalogue.search import highlight, surface_words
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.lru import BoundedCache
from yrkesbro.core.policies import Capability, is_platform_admin, organisation_ids_with
from yrkesbro.organisations.models import Organisation


def _filters(request: HttpRequest) -> tuple[SearchForm, selectors.Filters]:
    form = SearchForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if not data and request.GET.get("q"):
        data = {"q": request.GET["q"][:2000]}
    filters = selectors.Filters(**{k: v for k, v in data.items() if v not in ("", None)})
    return form, filters


def editable_schools(user: Any) -> Any:
    qs = Organisation.objects.filter(kind__in=SCHOOL_KINDS)
    if is_platform_admin(user):
        return qs
    return qs.filter(id__in=organisation_ids_with(user, Capability.EDIT_CONTENT))


def _decorate(results: list[selectors.Result]) -> list[selectors.Result]:
    for r in results:
        r.title_html = highlight(r.programme.title, r.terms)  # type: ignore[attr-defined]
        r.description_html = highlight(r.programme.description, r.terms)  # type: ignore[attr-defined]
        plan = r.programme.national_plan
        r.plan_html = highlight(plan.title, r.terms) if plan else ""  # type: ignore[attr-defined]
        p = r.programme
        words = surface_words(
            [
                p.title,
                plan.title_nb if plan else "",
                p.description,
                p.outcomes_knowledge,
                p.outcomes_skills,
                p.outcomes_general_competence,
                plan.title_en if plan else "",
            ],
            r.matched,
        )
        # What the reader sees: the word as written in the programme, and how it was reached.
        r.why = [(words.get(term, term), how) for term, how in r.matched.items()]  # type: ignore[attr-defined]
    return results


# Rendered result cards, per process: the same for every reader (a programme is public).
CARD_CACHE: BoundedCache[str] = BoundedCache(max_entries=4000, max_age=600)


def _cards(hits: list[search.Hit]) -> list[str]:
    """The page's result cards, rendered once per version of what each shows.

    The key holds the card's inputs: the programme, its school's and offerings' last
    changes (``selectors.card_versions``), the language and the query terms it matched
    (the highlighting). Only the programmes of cards not yet rendered are loaded; a
    renamed municipality or plan, which no key shows, is seen within ``max_age``.
    """
    versions = selectors.card_versions([h.programme_id for h in hits])
    language = get_language()
    keys = {
        h.programme_id: (
            h.programme_id,
            versions[h.programme_id],
            language,
            tuple(sorted(h.terms)),
            tuple(sorted(h.matched.items())),
        )
        for h in hits
        if h.programme_id in versions
    }
    found = CARD_CACHE.get_many(keys.values())
    missing = [h for h in hits if h.programme_id in keys and keys[h.programme_id] not in found]
    for result in _decorate(selectors.load(missing)):
        html = render_to_string("catalogue/partials/card.html", {"r": result})
        key = keys[result.programme.pk]
        CARD_CACHE.set(key, html)
        found[key] = html
    # Each card is our own template's escaped output.
    return [
        mark_safe(found[keys[h.programme_id]]) for h in hits if keys.get(h.programme_id) in found
    ]


SCHOOLS_SHOWN = 10


def _your_schools(user: Any) -> dict[str, Any]:
    """The first schools the user manages, and how many there are: a platform
    administrator manages every school in the country (1,000 at factor 10)."""
    if not user.is_authenticated:
        return {"schools": [], "school_count": 0}
    schools = editable_schools(user).order_by("name", "pk")
    shown = list(schools[: SCHOOLS_SHOWN + 1])
    count = len(shown) if len(shown) <= SCHOOLS_SHOWN else schools.count()
    return {"schools": shown[:SCHOOLS_SHOWN], "school_count": count}


def catalogue(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    results = selectors.programme_search(actor=request.user, filters=filters)
    page = Paginator(results.hit_pages(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "cards": _cards(list(page.object_list)),
        "more": results.more,
        "query": filters.q,
        **_your_schools(request.user),
        "export_query": request.GET.urlencode(),
    }
    template = "catalogue/partials/results.html" if request.htmx else "catalogue/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    ids = selectors.programme_search(actor=request.user, filters=filters).ids()
    programmes = Programme.objects.filter(id__in=ids)
    kind = request.GET.get("kind", "catalogue")
    if kind not in ("catalogue", "programmes", "offerings"):
        kind = "catalogue"
    body = importer.export_file(kind, programmes, fmt)
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="yrkesbro-{kind}.{fmt}"'
    return response


def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("school", "national_plan"),
        pk=programme_id,
    )
    offerings = programme.offerings.select_related("municipality__county")  # type: ignore[attr-defined]
    can_edit = Programme.objects.editable_by(request.user).filter(pk=programme.pk).exists()
    plan = programme.national_plan
    return render(
        request,
        "catalogue/programme.html",
        {
            "programme": programme,
            "offerings": offerings,
            "can_edit": can_edit,
            "plan_areas": list(plan.competence_areas.all()) if plan else [],  # type: ignore[attr-defined]
            "own_areas": list(programme.competence_areas.all()),
        },
    )


def school_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    school = get_object_or_404(Organisation.objects.filter(kind__in=SCHOOL_KINDS), pk=org_id)
    programmes = (
        Programme.objects.visible_to(request.user)
        .filter(school=school)
        .select_related("national_plan")
        .order_by("title", "id")
    )
    offerings = (
        Offering.objects.visible_to(request.user)
        .filter(programme__school=school)
        .select_related("programme", "municipality")
        .order_by("start_date", "programme__title", "id")
    )
    # A page of each, with its own page number: a school's catalogue grows with the country.
    programme_page = Paginator(programmes, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    offering_page = Paginator(offerings, settings.PAGE_SIZE).get_page(
        request.GET.get("offerings_page")
    )
    can_edit = editable_schools(request.user).filter(pk=school.pk).exists()
    return render(
        request,
        "catalogue/school.html",
        {
            "school": school,
            "programmes": programme_page,
            "offerings": offering_page,
            "can_edit": can_edit,
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/plans.html", {"plans": selectors.plans_with_counts()})


def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(NationalPlan.objects.visible_to(request.user), code=code)
    programmes = (
        Programme.objects.visible_to(request.user)
        .filter(national_plan=plan)
        .select_related("school__county")
        .prefetch_related("offerings__municipality")
        .order_by("school__name", "title", "pk")
    )
    # A page at a time: a national plan can gather hundreds of programmes at national scale.
    page = Paginator(programmes, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalogue/plan.html", {"plan": plan, "page": page})


def overview(request: HttpRequest) -> HttpResponse:
    rows = selectors.offerings_by_county()
    return render(
        request,
        "catalogue/overview.html",
        {
            "rows": rows,
            "online": selectors.online_offering_count(),
            "svg": charts.county_map(rows),
        },
    )


# --- editing, for the school's editors ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, org_id: int) -> HttpResponse:
    school = get_object_or_404(editable_schools(request.user), pk=org_id)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, school=school, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The programme is published."))
            return redirect(programme)
    return render(request, "catalogue/programme_form.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.editable_by(request.user).select_related("school"), pk=programme_id
    )
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=request.user, programme=programme, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("catalogue:programme", programme_id=programme.pk)
    return render(
        request,
        "catalogue/programme_form.html",
        {"form": form, "school": programme.school, "programme": programme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_delete(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.editable_by(request.user).select_related("school"), pk=programme_id
    )
    if request.method == "POST":
        school = programme.school
        services.programme_delete(actor=request.user, programme=programme)
        messages.success(request, _("The programme is deleted."))
        return redirect("catalogue:school", org_id=school.pk)
    return render(
        request,
        "catalogue/confirm_delete.html",
        {"object": programme, "cancel": programme.get_absolute_url(), "what": "programme"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.editable_by(request.user).select_related("school"), pk=programme_id
    )
    form = OfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_create(
                actor=request.user, programme=programme, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The offering is published."))
            return redirect(programme)
    return render(request, "catalogue/offering_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def offering_edit(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = get_object_or_404(
        Offering.objects.editable_by(request.user).select_related("programme__school"),
        pk=offering_id,
    )
    form = OfferingForm(request.POST or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(actor=request.user, offering=offering, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(offering.programme)
    return render(
        request,
        "catalogue/offering_form.html",
        {"form": form, "programme": offering.programme, "offering": offering},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_delete(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = get_object_or_404(
        Offering.objects.editable_by(request.user).select_related("programme__school"),
        pk=offering_id,
    )
    programme = offering.programme
    if request.method == "POST":
        services.offering_delete(actor=request.user, offering=offering)
        messages.success(request, _("The offering is deleted."))
        return redirect(programme)
    return render(
        request,
        "catalogue/confirm_delete.html",
        {"object": offering, "cancel": programme.get_absolute_url(), "what": "offering"},
    )


# --- the catalogue import as a web upload (check first, then confirm) ----------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, org_id: int) -> HttpResponse:
    """A school's editor uploads a file; the worker checks it and the status page follows."""
    school = get_object_or_404(editable_schools(request.user), pk=org_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > uploads.MAX_BYTES:
            form.add_error(
                "file", _("The file is larger than %(n)s MB.") % {"n": uploads.MAX_BYTES // 10**6}
            )
        else:
            try:
                started = uploads.upload_start(
                    actor=request.user,
                    school=school,
                    kind=form.cleaned_data["kind"],
                    filename=upload.name,
                    data=upload.read(),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect(started)
    recent = uploads.visible_uploads(request.user).filter(school=school)[:10]
    return render(
        request,
        "catalogue/import.html",
        {
            "form": form,
            "school": school,
            "recent": recent,
            "programme_columns": importer.PROGRAMME_EXPORT_COLUMNS,
            "offering_columns": importer.OFFERING_EXPORT_COLUMNS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_status(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The check's or the import's progress (polled by HTMX while the worker is busy);
    a POST confirms a checked file, and the worker imports it."""
    upload = get_object_or_404(uploads.visible_uploads(request.user).defer("data"), pk=upload_id)
    if request.method == "POST":
        try:
            uploads.upload_confirm(actor=request.user, upload=upload)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(upload)
    polled = request.htmx  # type: ignore[attr-defined]
    template = "catalogue/partials/import_status.html" if polled else "catalogue/import_status.html"
    return render(request, template, {"upload": upload, "school": upload.school})
