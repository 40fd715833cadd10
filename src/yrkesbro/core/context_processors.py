from django.conf import settings
from django.http import HttpRequest

from yrkesbro import __version__


def site(request: HttpRequest) -> dict[str, object]:
    return {"DEMO": settings.DEMO, "VERSION": __version__}
