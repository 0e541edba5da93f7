"""CSV exports that are safe to open in a spreadsheet program."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """One CSV cell as text. Spreadsheets run a cell starting with = + - @ as a formula
    (``=HYPERLINK(...)`` in a name), so such text gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True
