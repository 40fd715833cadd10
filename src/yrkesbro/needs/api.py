"""API for the needs app."""

from ninja import Router

router = Router(tags=["needs"])
