from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.policies import is_platform_admin
from yrkesbro.taxonomy import selectors, services
from yrkesbro.taxonomy.forms import AreaForm
from yrkesbro.taxonomy.models import CompetenceArea, TaxonomyVersion


def area_list(request: HttpRequest) -> HttpResponse:
    """The public list of competence areas with the national plans that cover them."""
    admin = is_platform_admin(request.user)
    return render(
        request,
        "taxonomy/list.html",
        {
            "areas": selectors.area_list(include_inactive=admin),
            "version": TaxonomyVersion.current(),
            "can_edit": admin,
        },
    )


def _save(request: HttpRequest, form: AreaForm, area: CompetenceArea | None) -> CompetenceArea:
    data = dict(form.cleaned_data)
    plan_codes = [p.code for p in data.pop("national_plans")]
    active = data.pop("is_active")
    with transaction.atomic():
        if area is None:
            area = services.area_create(actor=request.user, data=data, plan_codes=plan_codes)
        else:
            area = services.area_update(actor=request.user, area=area, data=data)
            services.area_set_plans(actor=request.user, area=area, plan_codes=plan_codes)
        return services.area_set_active(actor=request.user, area=area, active=active)


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise Http404
    area = get_object_or_404(CompetenceArea, code=code) if code else None
    initial: dict[str, object] = {"is_active": True}
    if area is not None:
        initial = {
            "field": area.field,
            "name_nb": area.name_nb,
            "name_nn": area.name_nn,
            "name_en": area.name_en,
            "synonyms": area.synonyms,
            "national_plans": list(area.national_plans.all()),
            "is_active": area.is_active,
        }
    form = AreaForm(request.POST or None, initial=initial, editing=area is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, area)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("taxonomy:list")
    versions = area.versions.select_related("actor")[:20] if area else []
    return render(request, "taxonomy/edit.html", {"form": form, "area": area, "versions": versions})
