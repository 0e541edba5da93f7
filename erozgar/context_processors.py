from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"LANGUAGE_BIDI": translation.get_language_bidi()}
