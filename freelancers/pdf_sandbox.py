"""Reading an uploaded PDF with a real parser, in a process of its own. No Django here.

Run as ``python -I pdf_sandbox.py``: the PDF comes on stdin; the process first caps its
own memory, CPU time and file writes, then parses. A PDF built to exhaust the parser
(an object stream that inflates to gigabytes, millions of tiny objects, or a crash in
qpdf's C++) takes down this process only, and the portal refuses the file as damaged.
The process is started with an empty environment, so it never holds the portal's keys.

A CNIC scan or a bank certificate never needs to run code, open links or carry other
files, so a PDF is refused when any of its objects asks for that. qpdf (through pikepdf)
reads the file the way a viewer does: ``/J#61vaScript`` is the name ``/JavaScript``,
objects packed in compressed object streams are unpacked, and an incremental update is
read through its newest cross-reference table. Every object in the file is walked (also
objects nothing points at), then the file is written out again by qpdf, so what is
stored is exactly the set of objects that were checked: no earlier revisions, no bytes
after the end.

Exit status and stdout: 0 and the rewritten PDF; ``ACTIVE`` and the kind of active
content found (one of ``FEATURES``); ``ENCRYPTED``; ``DAMAGED``. Anything else (killed
by a limit, a crash) means damaged too.
"""

from __future__ import annotations

import importlib
import io
import resource
import sys
from collections.abc import Iterator
from typing import Any

# Imported by main() only: the portal imports this module for its exit codes, and a web
# worker has no use for qpdf in its own memory.
pikepdf: Any = None

ACTIVE, ENCRYPTED, DAMAGED = 3, 4, 5

MEMORY_BYTES = 384 * 1024 * 1024  # address space of the whole process
CPU_SECONDS = 5
# Enough for any honest object stream; a cap on what qpdf inflates while parsing.
FLATE_MEMORY = 32 * 1024 * 1024
# A scanned document has tens of objects; a file of countless tiny objects attacks the walk.
MAX_OBJECTS = 20_000

# Names that mark active content wherever they appear (as a key or as a value), compared
# after qpdf decoded them, and the kind of content each one means.
ACTIVE_NAMES = {
    "/JS": "script",
    "/JavaScript": "script",
    "/Launch": "launch",
    "/URI": "link",
    "/GoToR": "link",
    "/SubmitForm": "link",
    "/GoToE": "attachment",
    "/ImportData": "attachment",
    "/EmbeddedFile": "attachment",
    "/EmbeddedFiles": "attachment",
    "/EF": "attachment",
    "/FileAttachment": "attachment",
    "/AA": "automatic",
    "/XFA": "form",
    "/RichMedia": "media",
    "/RichMediaExecute": "media",
    "/Rendition": "media",
    "/Screen": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/3D": "media",
}
FEATURES = frozenset(ACTIVE_NAMES.values()) | {"automatic"}


class Refused(Exception):
    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _written_inside(value: object) -> bool:
    # Numbers and booleans come back as Python values; references are visited on their own.
    return isinstance(value, pikepdf.Object) and not value.is_indirect


def _parts(obj: object) -> Iterator[object]:
    """``obj`` and everything written inside it, keys included. References to other objects are
    not followed: every indirect object of the file is visited on its own."""
    pending = [obj]
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, pikepdf.Stream | pikepdf.Dictionary):
            mapping = current.stream_dict if isinstance(current, pikepdf.Stream) else current
            for key, value in mapping.items():
                yield pikepdf.Name(key)
                if _written_inside(value):
                    pending.append(value)
        elif isinstance(current, pikepdf.Array):
            pending.extend(value for value in current if _written_inside(value))


def _check(obj: object) -> None:
    runs_on_opening = False
    for part in _parts(obj):
        if isinstance(part, pikepdf.Name):
            feature = ACTIVE_NAMES.get(str(part))
            if feature is not None:
                raise Refused(ACTIVE, feature)
        elif isinstance(part, pikepdf.Dictionary):
            # An open action that is an action (not merely the page to show first) runs on opening.
            runs_on_opening = runs_on_opening or isinstance(part.get("/OpenAction"), pikepdf.Dictionary)
    if runs_on_opening:
        raise Refused(ACTIVE, "automatic")


def inspect(data: bytes) -> bytes:
    """The PDF rewritten from the objects that were checked; raises Refused otherwise."""
    settings = pikepdf.settings
    settings.set_qpdf_limits(flate_max_memory=FLATE_MEMORY, doc_max_warnings=200)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if int(pdf.trailer.get("/Size", 0)) > MAX_OBJECTS:
                raise Refused(DAMAGED, "too many objects")
            for count, obj in enumerate(pdf.objects, start=1):
                if count > MAX_OBJECTS:
                    raise Refused(DAMAGED, "too many objects")
                if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") == pikepdf.Name.ObjStm:
                    # qpdf skips (with a mere warning) an object stream it could not inflate within
                    # FLATE_MEMORY; the objects packed in it would go unchecked. Inflating it again
                    # here raises instead.
                    obj.read_bytes()
                _check(obj)
            if settings.qpdf_limit_errors():
                raise Refused(DAMAGED, "a parser limit was hit")  # so we did not see all of it
            if len(pdf.pages) == 0:
                raise Refused(DAMAGED, "no pages")
            out = io.BytesIO()
            # Streams are copied as they are (never inflated); encryption, if any, is removed.
            pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except pikepdf.PasswordError:
        raise Refused(ENCRYPTED) from None
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, RecursionError, MemoryError) as error:
        raise Refused(DAMAGED, type(error).__name__) from None
    return out.getvalue()


def _limit_self() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main() -> int:
    global pikepdf
    pikepdf = importlib.import_module("pikepdf")
    _limit_self()
    data = sys.stdin.buffer.read()
    try:
        cleaned = inspect(data)
    except Refused as refused:
        sys.stdout.write(refused.detail)
        return refused.status
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
