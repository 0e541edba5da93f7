"""A worker killed with SIGKILL in the middle of sending: the sweeper sends the email again, once.

Worker 1 claims the row and hangs talking to a mail server that accepts the connection and
never answers; it is killed. After the lease (3 s here, 6 minutes in production) the
sweeper, run by a real beat, takes the row back and worker 2 sends it: one delivery, with the
row's Message-ID, on the second attempt.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.mail import EmailMessage

from outbox import services
from outbox.models import EmailStatus, OutgoingEmail
from outbox.rendering import message_id
from tests.concurrency import wait_until
from tests.outbox.processes import Processes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SHORT_LEASE = {"OUTBOX_LEASE_SECONDS": "3", "OUTBOX_REQUEUE_SECONDS": "2", "OUTBOX_SWEEP_SECONDS": "1"}


@pytest.fixture
def silent_mail_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """Accepts SMTP connections and never says a word (a hung mail server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], accepted
    server.close()
    for conn in accepted:
        conn.close()


def test_a_worker_killed_mid_send_is_replaced_and_the_email_goes_out_once(
    processes: Processes, silent_mail_server: tuple[int, list[socket.socket]], monkeypatch: Any
) -> None:
    port, accepted = silent_mail_server
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: 0)  # the sweeper queues it
    (email,) = services.email_queue_message(
        EmailMessage("Your booking", "See you at the centre.", None, ["person@example.pk"])
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(enqueued_at=None)
    first = processes.worker("worker-1", EMAIL_URL=f"smtp://127.0.0.1:{port}", **SHORT_LEASE)
    processes.beat(**SHORT_LEASE)
    processes.ready("worker-1")

    wait_until(lambda: accepted, timeout=60, what="worker 1 connects to the mail server")
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING and email.claimed_by.endswith(f":{first.pid}")
    processes.kill(first)

    second = processes.worker("worker-2", **SHORT_LEASE)  # mail into files
    processes.ready("worker-2")
    wait_until(
        lambda: OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists(),
        timeout=60,
        what="the sweeper takes the row back and worker 2 sends it",
    )
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (2, "")
    assert email.claimed_by.endswith(f":{second.pid}")
    # Time for more sweeps: a second copy, if there were one, would arrive now.
    sweeps_before = processes.log("worker-2").count("outbox.tasks.sweep_outbox")
    wait_until(
        lambda: processes.log("worker-2").count("outbox.tasks.sweep_outbox") >= sweeps_before + 3,
        timeout=30,
        what="three more sweeps",
    )
    assert processes.delivered_message_ids() == [message_id(email)]
