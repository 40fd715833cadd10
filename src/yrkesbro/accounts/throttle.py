"""Throttling of log-in, password reset and invitation redemption, with django-axes.

Axes counts failed log-ins per user name and per client address (either one
locks), resets the count on success, and answers a locked-out client through
``locked_out`` below. Password reset and invitation links are not log-ins, so
their views ask ``allowed`` first and report each request with ``count``: the
same limits and cool-off then apply to them. No message tells whether a user
or an address exists.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client address: REMOTE_ADDR, or the address the trusted proxies saw.

    ``YRKESBRO_PROXY_COUNT`` says how many reverse proxies stand in front of the
    app; only the entries they appended to X-Forwarded-For are trusted, so a
    client cannot choose its own address by sending the header itself.
    """
    count = getattr(settings, "YRKESBRO_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def allowed(request: HttpRequest, key: str) -> bool:
    """False while ``key`` (a user name, an e-mail address, a purpose) or the client is locked."""
    if not settings.AXES_ENABLED:
        return True
    return bool(AxesProxyHandler.is_allowed(request, credentials={"username": key}))


def count(request: HttpRequest, key: str) -> bool:
    """Count one attempt against ``key`` and the client address; False if that reached the limit.

    Like a failed log-in, the attempt that reaches the limit is itself refused.
    """
    if not settings.AXES_ENABLED:
        return True
    user_login_failed.send(sender=__name__, credentials={"username": key}, request=request)
    return not getattr(request, "axes_locked_out", False)


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The answer while locked out: the same for known and unknown users (429)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )
