from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.accounts import selectors, services, throttle
from yrkesbro.accounts.forms import RegisterForm, TokenForm
from yrkesbro.accounts.models import User
from yrkesbro.core.errors import DomainError, NotFound
from yrkesbro.core.forms import apply_domain_error

NEW_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 - a session key name, not a secret


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.PASSWORD_LOGIN:
            # Only the identity providers let people in on this instance.
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset, throttled like log-in: per address asked for and per client."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = "password-reset:" + str(request.POST.get("email", ""))[:254].strip().lower()
        if not throttle.allowed(request, key) or not throttle.count(request, key):
            return throttle.locked_out(request)
        return super().post(request, *args, **kwargs)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of_user(actor=request.user)
    return render(request, "accounts/profile.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = services.token_create(
                actor=request.user,
                user=cast(User, request.user),
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            # The secret is shown once, in the answer to this POST, and stored
            # nowhere in clear (not in the session, not in a cache: no-store).
            response = render(
                request,
                "accounts/tokens.html",
                {
                    "form": TokenForm(),
                    "tokens": selectors.tokens_of(actor=request.user),
                    "new_key": key,
                },
                status=201,
            )
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
            return response
    # Sessions from before this change may still hold a secret: drop it unread.
    request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.tokens_of(actor=request.user), "new_key": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.tokens_of(actor=request.user), pk=token_id)
    if request.method == "POST":
        try:
            services.token_revoke(actor=request.user, token=token)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed-in users confirm; others create an account here.

    Guessing links is throttled per client like log-in: each unknown token counts.
    """
    key = "invitation:" + throttle.client_ip(request)
    if not throttle.allowed(request, key):
        return throttle.locked_out(request)
    try:
        inv = services.invitation_by_token(token)
    except NotFound as exc:
        if not throttle.count(request, key):
            return throttle.locked_out(request)
        raise Http404(str(exc)) from exc
    problem = None
    try:
        services.invitation_check_open(inv)
    except DomainError as exc:
        problem = str(exc)
    form = (
        RegisterForm(request.POST or None)
        if not request.user.is_authenticated and settings.PASSWORD_LOGIN
        else None
    )
    if request.method == "POST" and problem is None:
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(actor=request.user, token=token)
            elif form is not None and form.is_valid():
                user, membership = services.user_register_from_invitation(
                    token=token,
                    username=form.cleaned_data["username"],
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except DomainError as exc:
            if form is not None:
                apply_domain_error(form, exc)
            else:
                problem = str(exc)
        else:
            if membership is not None:
                messages.success(
                    request,
                    _("Welcome to %(org)s.") % {"org": membership.organisation.name},
                )
                return redirect(membership.organisation.get_absolute_url())
    status = 410 if problem else 200
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": inv, "problem": problem, "form": form, "token": token},
        status=status,
    )
