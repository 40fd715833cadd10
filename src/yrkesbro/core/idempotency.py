"""``Idempotency-Key`` for POST requests to the API: a retry gets the first answer.

A client that did not hear the answer to a POST (timeout, dropped connection,
a 503 during a database restart) sends the same request again with the same
``Idempotency-Key`` header. The request runs in one transaction together with
the stored answer, so either both the write and its answer are saved, or
neither is and the retry runs afresh: a write is never done twice, and a
committed write is never answered with a 5xx. Answers are kept for 24 hours
(pruned by the daily sweep) and scoped to the caller, so two clients using the
same key never see each other's answers.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from yrkesbro.core.resilience import unavailable

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY = 200


class _Unsaved(Exception):
    """The view answered 5xx: roll its writes back and store nothing."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _error(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"message": message, "code": code, "field": HEADER}, status=status)


def _identity(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    if auth:
        return "auth:" + hashlib.sha256(auth.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous:" + (request.session.session_key or "" if hasattr(request, "session") else "")


def _replay(record: object) -> HttpResponse:
    from yrkesbro.core.models import IdempotencyRecord

    assert isinstance(record, IdempotencyRecord)
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY or not key.isprintable():
            return _error(
                400,
                _("Idempotency-Key must be 1 to 200 printable characters."),
                "invalid_idempotency_key",
            )
        try:
            return self._once(request, key)
        except DatabaseError:
            logger.warning("idempotent request failed on the database", exc_info=True)
            return unavailable(request)

    def _once(self, request: HttpRequest, key: str) -> HttpResponse:
        from yrkesbro.core.models import IdempotencyRecord

        scope = hashlib.sha256(f"{_identity(request)}\0{key}".encode()).hexdigest()
        fingerprint = hashlib.sha256(
            (request.method or "POST").encode()
            + b"\0"
            + request.get_full_path().encode()
            + b"\0"
            + request.body
        ).hexdigest()
        existing = IdempotencyRecord.objects.filter(scope=scope).first()
        if existing is not None:
            if existing.fingerprint != fingerprint:
                return _error(
                    422,
                    _("This Idempotency-Key was already used for a different request."),
                    "idempotency_key_reused",
                )
            return _replay(existing)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500 or response.streaming:
                    raise _Unsaved(response)
                IdempotencyRecord.objects.create(
                    scope=scope,
                    fingerprint=fingerprint,
                    status=response.status_code,
                    content_type=response.get("Content-Type", ""),
                    body=response.content,
                )
        except _Unsaved as unsaved:
            return unsaved.response
        except IntegrityError:
            # The same request ran concurrently and committed first: answer as it did.
            existing = IdempotencyRecord.objects.filter(scope=scope).first()
            if existing is None:
                raise
            return _replay(existing)
        return response
