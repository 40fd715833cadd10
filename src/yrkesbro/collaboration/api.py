"""API for the collaboration app."""

from ninja import Router

router = Router(tags=["collaboration"])
