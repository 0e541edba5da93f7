"""Account housekeeping run by beat (schedule in erozgar/celery.py)."""

from __future__ import annotations

from celery import shared_task

from accounts.tokens import tokens_purge_expired


@shared_task
def purge_expired_api_tokens() -> int:
    """Delete expired API tokens (they already stopped working at their expiry)."""
    return tokens_purge_expired()
