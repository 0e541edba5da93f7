"""Favourite spaces: a person's own short list on My bookings (services and the one read)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from centres.models import Space
from erozgar.errors import DomainError

from .models import FavouriteSpace

# Enough for every space a person really uses; a bound keeps the page short and the table small.
MOST_FAVOURITES = 20


def favourites_for_user(user: Any) -> QuerySet[FavouriteSpace]:
    """The person's favourites with space and centre (one query), newest first."""
    return FavouriteSpace.objects.filter(user_id=user.pk).select_related("space", "space__centre")


@transaction.atomic
def favourite_add(*, user: Any, space: Space) -> FavouriteSpace:
    """Keep ``space`` among the person's favourites; adding it twice keeps one (the unique constraint)."""
    existing = FavouriteSpace.objects.filter(user_id=user.pk, space_id=space.pk).first()
    if existing is not None:
        return existing
    if FavouriteSpace.objects.filter(user_id=user.pk).count() >= MOST_FAVOURITES:
        raise DomainError(
            _("You can keep up to %(count)s favourite spaces. Remove one first.")
            % {"count": MOST_FAVOURITES},
            code="too_many_favourites",
        )
    favourite, _created = FavouriteSpace.objects.get_or_create(user_id=user.pk, space=space)
    return favourite


@transaction.atomic
def favourite_remove(*, user: Any, space_id: int) -> bool:
    """Drop the space from the person's own favourites; another person's are never touched."""
    deleted, _rows = FavouriteSpace.objects.filter(user_id=user.pk, space_id=space_id).delete()
    return bool(deleted)
