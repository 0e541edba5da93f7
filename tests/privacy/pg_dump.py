"""Running the real ``pg_dump`` against the test database, and the ways people write an identifier."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pgserver
from django.db import connection


def _major(pg_dump: str) -> int:
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version)
    assert found, version
    return int(found.group(1))


def pg_dump_binary() -> str:
    """A pg_dump at least as new as the server (the embedded one, or the machine's own)."""
    server = connection.pg_version // 10000
    candidates = [str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump")]
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    candidates += [found] if (found := shutil.which("pg_dump")) else []
    usable = [(major, c) for c in candidates if Path(c).exists() and (major := _major(c)) >= server]
    assert usable, f"no pg_dump for PostgreSQL {server} among {candidates}"
    return min(usable)[1]


def pg_dump() -> str:
    """The whole test database as SQL text (schema and data), as a thief with a backup would see it."""
    db = connection.settings_dict
    command = [pg_dump_binary(), "--no-owner", "--dbname", db["NAME"], "--username", db["USER"] or "postgres"]
    if db.get("HOST"):
        command += ["--host", db["HOST"]]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def cnic_spellings(cnic: str) -> set[str]:
    digits = cnic.replace("-", "")
    return {cnic, digits, f"{digits[:5]} {digits[5:12]} {digits[12]}"}


def mobile_spellings(e164: str) -> set[str]:
    national = "0" + e164[3:]  # 03001234567
    return {
        e164,  # +923001234567
        e164[1:],  # 923001234567
        "0092" + e164[3:],
        national,
        f"{national[:4]}-{national[4:]}",  # 0300-1234567
        f"{national[:4]} {national[4:]}",
        f"+92 {e164[3:6]} {e164[6:]}",
        e164[3:],  # 3001234567, inside any of the above
    }


def found_in(dump: str, spellings: set[str]) -> set[str]:
    """Spellings present in the dump as text, or as the hex of a bytea column holding them in clear."""
    lowered = dump.lower()
    return {s for s in spellings if s in dump or s.encode().hex() in lowered}
