"""The portal's URLs and, beside them, the floors ``bench.load`` compares the portal with.

Each floor does the least that answers the same question on the same server: a bare JSON view;
one INSERT into a table with the same kind of exclusion constraint as bookings; one SQL query
returning each space's free intervals for a day. Only ``bench.settings`` routes here.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from centres.hours import local_datetime

FLOOR_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_floor_booking (
    id bigserial PRIMARY KEY,
    space_id bigint NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    EXCLUDE USING gist (int8range(space_id, space_id, '[]') WITH &&, tstzrange(starts_at, ends_at) WITH &&)
)
"""


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
def insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_floor_booking (space_id, starts_at, ends_at) "
                "VALUES (%s, %s, %s) RETURNING id",
                [body["space"], body["starts_at"], body["ends_at"]],
            )
            (booking_id,) = cursor.fetchone()
    except IntegrityError:
        return JsonResponse({"code": "slot_taken"}, status=409)
    return JsonResponse({"id": booking_id}, status=201)


def free(request: HttpRequest, centre_id: int) -> JsonResponse:
    day = date.fromisoformat(request.GET["date"])
    opens, closes = local_datetime(day, time(9)), local_datetime(day, time(22))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id, tstzmultirange(tstzrange(%s, %s))
                   - coalesce(range_agg(tstzrange(b.starts_at, b.ends_at)), '{}'::tstzmultirange)
            FROM centres_space s
            LEFT JOIN bookings_booking b ON b.space_id = s.id AND b.status IN ('confirmed', 'checked_in')
                 AND b.starts_at < %s AND b.ends_at > %s
            WHERE s.centre_id = %s AND s.in_service
            GROUP BY s.id ORDER BY s.kind, s.label
            """,
            [opens, closes, closes, opens, centre_id],
        )
        rows = cursor.fetchall()

    def iso(moment: datetime) -> str:
        return moment.isoformat()

    return JsonResponse(
        {
            "spaces": [
                {"id": sid, "free": [{"starts_at": iso(r.lower), "ends_at": iso(r.upper)} for r in mr]}
                for sid, mr in rows
            ]
        }
    )


urlpatterns = [
    path("bench/floor/json/", bare),
    path("bench/floor/insert/", insert),
    path("bench/floor/free/<int:centre_id>/", free),
    path("", include("erozgar.urls")),
]
