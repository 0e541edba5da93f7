"""What the desk records beside the booking itself: money taken, and a log of every desk action.

Status changes of a booking are audited by the bookings app (BookingEvent, written by its
services). DeskAction adds what only the desk knows: look-ups, refused scans, payments,
walk-ins, and the nonce an offline scanner sends so a re-sent scan counts once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erozgar.money import rupees


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    JAZZCASH = "jazzcash", _("JazzCash")
    EASYPAISA = "easypaisa", _("Easypaisa")
    OTHER = "other", _("Other")


class Payment(models.Model):
    """Money received at the desk for one booking.

    Never edited: a mistake is corrected by staff in the admin.
    """

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="payments", verbose_name=_("booking")
    )
    # Copied from the booking so a centre's takings are read without a join.
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="payments", verbose_name=_("centre")
    )
    amount_pkr = models.PositiveIntegerField(_("amount (PKR)"))
    method = models.CharField(
        _("method"), max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.CASH
    )
    reference = models.CharField(
        _("transaction reference"),
        max_length=100,
        blank=True,
        help_text=_("The bank, JazzCash or Easypaisa transaction id. Not needed for cash."),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pkr__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("The amount must be more than Rs 0."),
            ),
            models.CheckConstraint(condition=Q(method__in=PaymentMethod.values), name="payment_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {rupees(self.amount_pkr)}"

    @property
    def receipt_number(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "R-"


class DeskActionKind(models.TextChoices):
    CHECK_IN = "check_in", _("Checked in")
    CHECK_IN_REPEAT = "check_in_repeat", _("Scanned again (already checked in)")
    CHECK_IN_REFUSED = "check_in_refused", _("Check-in refused")
    CHECK_OUT = "check_out", _("Checked out")
    CHECK_OUT_REFUSED = "check_out_refused", _("Check-out refused")
    WALK_IN = "walk_in", _("Walk-in seated")
    WALK_IN_REFUSED = "walk_in_refused", _("Walk-in refused")
    LOOKUP = "lookup", _("Looked up a person")
    PAYMENT = "payment", _("Payment recorded")


class DeskAction(models.Model):
    """One thing a desk clerk did (or tried): who, what, when, which booking, and the outcome."""

    Kind = DeskActionKind

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, related_name="desk_actions", verbose_name=_("centre")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("action"), max_length=20, choices=DeskActionKind.choices)
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_actions",
        verbose_name=_("booking"),
    )
    summary = models.CharField(_("what happened"), max_length=300, blank=True)
    # A client nonce (offline scanner queue): the same nonce at the same centre is answered once.
    nonce = models.CharField(_("client nonce"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("desk action")
        verbose_name_plural = _("desk actions")
        indexes = [models.Index(fields=["centre", "-at"], name="deskaction_centre_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "nonce"], condition=~Q(nonce=""), name="deskaction_nonce_once_per_centre"
            ),
            models.CheckConstraint(condition=Q(kind__in=DeskActionKind.values), name="deskaction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
