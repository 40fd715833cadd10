"""Platform administrators version the questionnaire: list, edit a new version, publish.

A new version starts as a copy of the current one (the default set before there is any);
the editor changes the texts in bokmål, nynorsk and English, reviews what changed, and
publishes it with ``services.item_set_create`` after a confirmation step. Codes and kinds
are taken from the version it was started from, never from the form, so an item's
history still follows its code; rounds keep the version they asked (old answers stay
tied to the texts people answered). Everybody else gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.core.errors import DomainError
from yrkesbro.core.policies import is_platform_admin
from yrkesbro.health import selectors, services
from yrkesbro.health.defaults import DEFAULT_ITEMS
from yrkesbro.health.models import ItemSet

LANGS = ("nb", "nn", "en")
MAX_FIELD = 2000  # longer input is refused before it is even checked


def _only_platform_admins(request: HttpRequest) -> None:
    if not is_platform_admin(request.user):
        raise Http404


@login_required
def item_sets(request: HttpRequest) -> HttpResponse:
    """Every version, newest first, with its items and how many rounds asked it."""
    _only_platform_admins(request)
    versions = selectors.item_set_versions()
    return render(request, "health/item_sets.html", {"versions": versions})


def _base() -> tuple[int, list[dict[str, Any]]]:
    """The version a new one starts from (0: the default set) and its items."""
    current = ItemSet.objects.filter(is_current=True).first()
    if current is None:
        return 0, [dict(item._asdict()) for item in DEFAULT_ITEMS]
    return current.version, [
        {"code": i.code, "kind": i.kind, "nb": i.text_nb, "nn": i.text_nn, "en": i.text_en}
        for i in current.items.all()
    ]


def _posted(request: HttpRequest, base: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The base items with the texts from the form (codes and kinds stay the base's)."""
    items = []
    for index, item in enumerate(base):
        texts = {lang: request.POST.get(f"item-{index}-{lang}", "")[:MAX_FIELD] for lang in LANGS}
        items.append({"code": item["code"], "kind": item["kind"], **texts})
    return items, request.POST.get("note", "")[:MAX_FIELD]


@login_required
@require_http_methods(["GET", "POST"])
def item_set_new(request: HttpRequest) -> HttpResponse:
    """Edit (GET, or POST ``step=edit``), review (``step=review``), publish (``step=publish``)."""
    _only_platform_admins(request)
    base_version, base = _base()
    items, note = [dict(i) for i in base], ""
    step = "edit"
    error = None
    if request.method == "POST":
        items, note = _posted(request, base)
        wanted = request.POST.get("step", "")
        try:
            if request.POST.get("base", "") != str(base_version):
                raise DomainError(
                    _(
                        "Another version was published meanwhile. Your texts are kept below; "
                        "check them against the new current version."
                    )
                )
            if len(note) > 300:
                raise DomainError(_("What changed is at most 300 characters."), field="note")
            clean = services.check_items(items)
            if wanted == "review":
                step = "review"
            elif wanted == "publish":
                published = services.item_set_create(actor=request.user, items=clean, note=note)
                messages.success(
                    request,
                    _("Version %(version)s is published. New rounds ask it.")
                    % {"version": published.version},
                )
                return redirect("health:item_sets")
        except DomainError as exc:
            error = str(exc.message)
            step = "edit"
    changed = [
        {
            **item,
            "changed": [lang for lang in LANGS if " ".join(item[lang].split()) != old[lang]],
        }
        for item, old in zip(items, base, strict=True)
    ]
    return render(
        request,
        "health/item_set_new.html",
        {
            "items": changed,
            "note": note,
            "step": step,
            "error": error,
            "base_version": base_version,
            "next_version": (
                (ItemSet.objects.order_by("-version").values_list("version", flat=True).first())
                or 0
            )
            + 1,
            "any_change": any(item["changed"] for item in changed),
        },
        status=400 if error else 200,
    )
