"""What is kept after a person's data is erased: that it happened, when, on whose word, and counts.

Nothing in a record identifies the person: the account that remains is anonymised, and the
registration number is kept only so an auditor can see that a number issued by the
registry was later erased (numbers are sequential and never reused).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureReason(models.TextChoices):
    OWN_REQUEST = "own_request", _("The person deleted their account")
    ON_REQUEST = "on_request", _("Erased by PSEB on the person's written request")
    LEGAL = "legal", _("Erased by PSEB on a legal order")


class ErasureRecord(models.Model):
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True, db_index=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("anonymised account"),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
        help_text=_("Empty when the person deleted their own account."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ErasureReason.choices)
    note = models.CharField(_("case reference"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=24, blank=True)
    documents_deleted = models.PositiveIntegerField(_("documents deleted"), default=0)
    bookings_cancelled = models.PositiveIntegerField(_("upcoming bookings cancelled"), default=0)
    bookings_kept = models.PositiveIntegerField(_("bookings kept anonymised"), default=0)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        constraints = [models.UniqueConstraint(fields=["account"], name="erasure_once_per_account")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.erased_at:%Y-%m-%d}"
