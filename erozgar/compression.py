"""gzip for pages and JSON, never for a response that carries a secret.

BREACH: when a compressed body holds a secret next to text an attacker can choose (a search
term echoed back), the size of the response leaks the secret a byte at a time. What this
portal's bodies hold, and why compressing them is safe:

- the CSRF token: Django masks it afresh in every response, so it never repeats;
- Django's GZipMiddleware (4.2+) adds up to 100 random bytes to each gzip header
  ("Heal the BREACH"), which blurs the length signal;
- an API token (``POST /api/v1/auth/token/``) is a long-lived secret shown once: its view marks
  the response with ``holds_secret`` and it goes out uncompressed;
- the two-factor pages (``/accounts/2fa/``) show a TOTP secret and recovery codes: never compressed;
- already-compressed bodies (ZIP downloads, images, PDFs) are left alone (no gain, wasted CPU).

Static files are not this middleware's: WhiteNoise (above it) answers them, in production
from the ``.gz`` and ``.br`` files ``collectstatic`` writes (CompressedManifestStaticFilesStorage).
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Pages that show a secret and are not ours to mark (allauth's two-factor set-up and recovery codes).
_SECRET_PATHS = ("/accounts/2fa/",)
_ALREADY_COMPRESSED = ("application/zip", "application/pdf", "image/", "font/woff", "video/", "audio/")

R = TypeVar("R", bound=HttpResponseBase)


def holds_secret(response: R) -> R:
    """Mark ``response`` as carrying a secret: it is never compressed."""
    response.holds_secret = True  # type: ignore[attr-defined]
    return response


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(response, "holds_secret", False) or request.path.startswith(_SECRET_PATHS):
            return response
        if response.get("Content-Type", "").startswith(_ALREADY_COMPRESSED):
            return response
        return super().process_response(request, response)
