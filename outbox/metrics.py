"""The outbox's numbers for /metrics, read at every scrape (one query, see ``outbox_backlog``)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric

from .selectors import outbox_backlog


def backlog_metrics() -> Iterable[Metric]:
    backlog = outbox_backlog()
    emails = GaugeMetricFamily(
        "erozgar_outbox_emails", "Outgoing emails not sent yet, by state.", labels=["state"]
    )
    emails.add_metric(["unsent"], backlog.unsent)
    emails.add_metric(["sending"], backlog.sending)
    emails.add_metric(["failed"], backlog.failed)
    age = GaugeMetricFamily(
        "erozgar_outbox_oldest_unsent_age_seconds", "Age of the oldest email not sent yet (0: none)."
    )
    age.add_metric([], backlog.oldest_unsent_age_seconds or 0.0)
    return [emails, age]
