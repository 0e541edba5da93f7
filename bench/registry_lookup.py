"""Measure the desk's CNIC / mobile look-up against a national-scale registry (1.5 million rows).

Builds a scratch database (never the real one), migrates it, fills it with generate_series
(CNIC and mobile sealed and blind-indexed in Python, as the portal stores them, and copied in),
and prints EXPLAIN ANALYZE of the exact queries `find_registration_by_cnic_or_mobile` runs.

    .venv/bin/python -m bench.registry_lookup --rows 1500000
    .venv/bin/python -m bench.registry_lookup --keep      # reuse the filled scratch database next time
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import django
import psycopg
from django.core.management import call_command
from django.db import connections
from psycopg.conninfo import make_conninfo

ALIAS = "registry_bench"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="EXPLAIN the CNIC look-up over a scratch registry of N rows (default 1.5 million)."
    )
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--database", default="erozgar_registry_bench")
    parser.add_argument("--keep", action="store_true", help="reuse an already filled scratch database")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erozgar.settings")
    django.setup()
    run(rows=args.rows, database=args.database, keep=args.keep)


def run(*, rows: int, database: str, keep: bool) -> None:
    from freelancers.selectors import registration_lookup  # after django.setup()

    default = connections.databases["default"]
    if database == default["NAME"]:
        raise SystemExit("refusing to use the real database")
    params = {
        "host": default.get("HOST"),
        "port": default.get("PORT"),
        "user": default.get("USER"),
        "password": default.get("PASSWORD"),
        "dbname": "postgres",
    }
    conninfo = make_conninfo("", **{k: str(v) for k, v in params.items() if v})
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    connections.databases[ALIAS] = {**default, "NAME": database}
    bench = connections[ALIAS]
    with bench.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'freelancers_registration'")
        migrated = cursor.fetchone()[0] == 1
    if not migrated:
        print("migrating the scratch database ...")
        call_command("migrate", database=ALIAS, verbosity=0)
    with bench.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM freelancers_registration")
        have = cursor.fetchone()[0]
        if have < rows:
            print(f"inserting {rows - have:,} users and registrations with generate_series ...")
            started = time.monotonic()
            _fill(cursor, have + 1, rows)
            print(f"  filled in {time.monotonic() - started:.1f} s")
        cursor.execute("ANALYZE accounts_user; ANALYZE freelancers_registration")
        cursor.execute("SELECT count(*) FROM freelancers_registration")
        print(f"registrations in the scratch table: {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('registration_cnic_unique'))")
        print(f"CNIC blind index (unique) size: {cursor.fetchone()[0]}")

    probe_n = rows * 2 // 3
    probes = {
        "CNIC with dashes": _cnic(probe_n),
        "CNIC without dashes": _cnic(probe_n).replace("-", ""),
        "mobile 03XX-XXXXXXX": "0" + _mobile(probe_n)[3:6] + "-" + _mobile(probe_n)[6:],
        "CNIC not in the registry": "99999-9999999-9",
    }
    for label, text in probes.items():
        queryset = registration_lookup(text)
        assert queryset is not None
        queryset = queryset.using(ALIAS)
        queryset.first()  # warm the cache the way a running server would be
        print(f"\n{label}: {text!r}")
        print(queryset[:1].explain(analyze=True, buffers=True))
        timings = []
        for _ in range(50):
            started = time.perf_counter()
            queryset.first()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(f"round trip through the ORM, 50 runs: median {timings[25]:.2f} ms, p95 {timings[47]:.2f} ms")
    connections[ALIAS].close()


def _copy_identifiers(cursor: Any, first: int, last: int) -> None:
    """A temporary table of each row's sealed CNIC and mobile and their blind indexes, made the way
    the portal makes them (the key never reaches the database, so SQL alone cannot)."""
    from freelancers.models import Registration

    fields = {
        name: Registration._meta.get_field(name)
        for name in ("cnic", "cnic_digest", "mobile", "mobile_digest")
    }
    cursor.execute(
        "CREATE TEMPORARY TABLE bench_identifiers "
        "(n bigint PRIMARY KEY, cnic bytea, cnic_digest bytea, mobile bytea, mobile_digest bytea)"
    )
    with cursor.cursor.copy("COPY bench_identifiers FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int8", "bytea", "bytea", "bytea", "bytea"])
        for g in range(first, last + 1):
            cnic, mobile = _cnic(g), _mobile(g)
            copy.write_row(
                (
                    g,
                    fields["cnic"].seal(cnic),  # type: ignore[attr-defined]
                    fields["cnic_digest"].digest(cnic),  # type: ignore[attr-defined]
                    fields["mobile"].seal(mobile),  # type: ignore[attr-defined]
                    fields["mobile_digest"].digest(mobile),  # type: ignore[attr-defined]
                )
            )


def _fill(cursor: Any, first: int, last: int) -> None:
    # Users first (the registration's one-to-one), then one registration each. Statuses spread
    # like a live registry; CNIC and mobile are unique, sealed and indexed, as the portal stores them.
    _copy_identifiers(cursor, first, last)
    cursor.execute(
        """
        INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email, full_name,
                                   language)
        SELECT '!', false, false, true, now(), 'bench' || g || '@example.pk', 'Bench Person ' || g, 'en'
        FROM generate_series(%s, %s) AS g
        """,
        [first, last],
    )
    cursor.execute(
        """
        INSERT INTO freelancers_registration (
            user_id, status, full_name, guardian_name, date_of_birth, gender, cnic, cnic_digest, mobile,
            mobile_digest, city, province,
            address, years_of_experience, ntn, declaration_accepted_at, submitted_at, decided_at,
            decision_reason, registration_number, approved_at, valid_until, created_at, updated_at)
        SELECT u.id,
               CASE WHEN g %% 10 < 6 THEN 'approved' WHEN g %% 10 < 8 THEN 'submitted' ELSE 'draft' END,
               'Bench Person ' || g, 'Bench Parent ' || g, date '1990-01-01' + (g %% 7000), 'female',
               i.cnic, i.cnic_digest, i.mobile, i.mobile_digest,
               'Lahore', 'punjab', 'Street ' || g, g %% 20, '',
               now(), CASE WHEN g %% 10 < 8 THEN now() END, NULL, '',
               CASE WHEN g %% 10 < 6 THEN 'PSEB-FL-2026-' || lpad(g::text, 7, '0') END,
               CASE WHEN g %% 10 < 6 THEN now() END,
               CASE WHEN g %% 10 < 6 THEN current_date + 200 END,
               now(), now()
        FROM generate_series(%s, %s) AS g
        JOIN accounts_user u ON u.email = 'bench' || g || '@example.pk'
        JOIN bench_identifiers i ON i.n = g
        """,
        [first, last],
    )
    cursor.execute("DROP TABLE bench_identifiers")


def _cnic(g: int) -> str:
    return f"{(g % 8) + 1}{g % 10000:04d}-{g:07d}-{g % 10}"


def _mobile(g: int) -> str:
    return f"+923{g:09d}"


if __name__ == "__main__":
    main()
