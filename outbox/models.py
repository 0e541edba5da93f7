"""Outgoing email as database rows (an outbox), written in the transaction of the change it reports.

A row carries either a fully rendered message (``kind="rendered"``: allauth's account
emails) or a kind, an object id and a language that the worker renders at send time
(a booking confirmation with its QR code and calendar file). ``outbox.services`` claims a
row with a conditional UPDATE before sending it, so two workers never send the same row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

RENDERED = "rendered"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    # Filled when the message is rendered (at send time for most kinds), for the admin list.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # Small plain values the renderer needs besides the object (a status, a reason);
    # for kind "rendered" the whole message (subject, text, html, headers, attachments).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_default=Now())
    # When a send task was last handed to the broker for this row (the sweeper's hint).
    enqueued_at = models.DateTimeField(_("queued to the worker"), null=True, blank=True, db_default=Now())
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-id"]
        indexes = [
            # The sweeper's two questions: what is due, and what is stuck in "sending".
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="outbox_sending_claimed",
            ),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
            models.Index(fields=["kind", "object_id"], name="outbox_kind_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=Q(status="sending", claimed_at__isnull=False) | ~Q(status="sending"),
                name="outbox_sending_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} to {self.recipient}"
