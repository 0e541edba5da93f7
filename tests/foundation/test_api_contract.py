"""The API against its own OpenAPI schema: schemathesis on a live server, with real tokens.

Every operation of /api/v1/schema/ gets generated requests (valid and invalid shapes,
strings with NUL, surrogates and huge numbers among them) sent over HTTP with a real token.
Checks: no 5xx, each status code is documented for its operation, each body matches the
documented schema (errors included) and the documented content type. A new endpoint is
covered without touching this file; a bounded run keeps it a short part of `make test`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from centres.models import StaffRole
from tests.bookings.factories import BookingFactory, CabinFactory
from tests.centres.factories import CentreFactory, ClosureFactory, StaffMembershipFactory, weekdays_open
from tests.foundation.tokens import api_token
from tests.freelancers.factories import RegistrationFactory

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def actors(transactional_db: Any, make_user: Any) -> dict[str, Any]:
    centre = CentreFactory(slug="lahore-arfa", status="active")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin A")
    registration = RegistrationFactory(approved=True)
    booking = BookingFactory(user=registration.user, space=cabin)
    manager = make_user()
    StaffMembershipFactory(user=manager, centre=centre, role=StaffRole.MANAGER)
    return {
        "paths": {
            "key": str(centre.pk),
            "centre_id": str(centre.pk),
            "space_id": str(cabin.pk),
            "closure_id": str(ClosureFactory(centre=centre, date=date(2027, 1, 1)).pk),
            "number": registration.registration_number,
            "id": "1",
        },
        "booking": booking.reference,
        "freelancer": api_token(registration.user),
        "manager": api_token(manager),
    }


def _openapi() -> dict[str, Any]:
    """The schema the portal serves at /api/v1/schema/, built the same way (no server needed to collect)."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, default=str))  # lazy translation strings -> str


def _exercise(operation: Any, token: str, actors: dict[str, Any], base_url: str) -> None:
    """Hypothesis drives one operation: schema-valid and schema-invalid requests, each checked."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    )
    def send(case: Any) -> None:
        # Real ids, so requests get past the 404 and into the views (hostile ids are tested elsewhere).
        for name in list(case.path_parameters or {}):
            case.path_parameters[name] = actors["paths"][name]
        if case.path.startswith("/api/v1/bookings/{key}"):
            case.path_parameters["key"] = actors["booking"]
        case.call_and_validate(base_url=base_url, headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    send()


@pytest.mark.django_db(transaction=True)
def test_api_answers_as_its_schema_says(actors: dict[str, Any], live_server: Any) -> None:
    """One data set and one live server for every operation of the schema, in turn."""
    schema = schemathesis.openapi.from_dict(_openapi())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:
        staff_side = operation.path.startswith(("/api/v1/centres/{key}/", "/api/v1/desk/"))
        token = actors["manager"] if staff_side else actors["freelancer"]
        try:
            _exercise(operation, token, actors, live_server.url)
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
