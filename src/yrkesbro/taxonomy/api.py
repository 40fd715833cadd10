"""API for the taxonomy app."""

from ninja import Router

router = Router(tags=["taxonomy"])
