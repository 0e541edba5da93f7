"""PDFs are parsed, not grepped: active content is refused however it is written, and what is
stored is the file qpdf rewrote from the objects it checked.

Each hostile PDF is built here the way an attacker would build it: with pikepdf for the
features, by hand where the trick is in the bytes (escaped names, incremental updates).
"""

from __future__ import annotations

import io
import re
import struct
import time
import zlib
from collections.abc import Callable
from typing import Any

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Array, Dictionary, Name, String

from freelancers.models import Document
from freelancers.uploads import clean_upload
from tests.freelancers.factories import RegistrationFactory


def pdf_bytes(change: Callable[[pikepdf.Pdf], Any] = lambda pdf: None, **save: Any) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def upload(content: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refused_for(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload(content))
    return caught.value.messages[0]


def annotate(pdf: pikepdf.Pdf, annotation: Dictionary) -> None:
    annotation.Type = Name.Annot
    annotation.Rect = Array([10, 10, 100, 100])
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))


def hand_made(catalog_extra: bytes, page_extra: bytes = b"") -> bytes:
    """A one-page PDF written byte by byte, with correct offsets, and extra text in its catalog."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]" + page_extra + b">>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def incremental_update(original: bytes, number: int, body: bytes) -> bytes:
    """Append a revision that redefines object ``number``, as editors do when saving changes."""
    previous = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    size = int(re.findall(rb"/Size (\d+)", original)[-1]) if b"/Size " in original else 4
    out = bytearray(original)
    offset = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<</Size %d/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, xref)
    return bytes(out)


# --- names written in disguise ------------------------------------------------------------


def test_javascript_with_a_hex_escaped_name_is_refused() -> None:
    hostile = hand_made(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(document.cookie))>>")
    assert b"/JavaScript" not in hostile and b"/JS" not in hostile  # the old grep saw nothing
    assert "script (JavaScript)" in refused_for(hostile)


def test_javascript_link_with_escaped_names_on_a_page_is_refused() -> None:
    hostile = hand_made(
        b"",
        page_extra=b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 99 99]/A<</S/#4Aava#53cript/#4A#53(x)>>>>]",
    )
    assert "script (JavaScript)" in refused_for(hostile)


def test_javascript_inside_a_compressed_object_stream_is_refused() -> None:
    hostile = pdf_bytes(
        lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    assert b"JavaScript" not in hostile and b"app.alert" not in hostile  # compressed: invisible to grep
    assert "script (JavaScript)" in refused_for(hostile)


def test_javascript_added_by_an_incremental_update_is_refused() -> None:
    clean = hand_made(b"")
    hostile = incremental_update(
        clean,
        1,
        b"<</Type/Catalog/Pages 2 0 R/Names<</J#61vaScript<</Names[(a) <</S/JavaScript/JS(x)>>]>>>>>>",
    )
    assert "script (JavaScript)" in refused_for(hostile)


# --- every kind of active content ---------------------------------------------------------

ACTIVE_CONTENT = {
    "JavaScript open action": (
        lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.JavaScript, JS=String("x"))),
        "script (JavaScript)",
    ),
    "document-level JavaScript": (
        lambda pdf: setattr(
            pdf.Root,
            "Names",
            Dictionary(
                JavaScript=Dictionary(
                    Names=Array([String("a"), Dictionary(S=Name.JavaScript, JS=String("x"))])
                )
            ),
        ),
        "script (JavaScript)",
    ),
    "launch action": (
        lambda pdf: annotate(
            pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe")))
        ),
        "starts a program",
    ),
    "URI action": (
        lambda pdf: annotate(
            pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("https://evil.example")))
        ),
        "link to a web page",
    ),
    "remote go-to": (
        lambda pdf: annotate(
            pdf,
            Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0]))),
        ),
        "link to a web page",
    ),
    "form submission": (
        lambda pdf: annotate(
            pdf,
            Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example"))),
        ),
        "link to a web page",
    ),
    "embedded file": (
        lambda pdf: pdf.attachments.__setitem__("payload.exe", pikepdf.AttachedFileSpec(pdf, b"MZ payload")),
        "attached or embedded file",
    ),
    "file attachment annotation": (
        lambda pdf: annotate(pdf, Dictionary(Subtype=Name.FileAttachment, Contents=String("see attached"))),
        "attached or embedded file",
    ),
    "additional actions on a page": (
        lambda pdf: pdf.pages[0].obj.__setitem__(
            "/AA", Dictionary(O=Dictionary(S=Name.Named, N=Name.NextPage))
        ),
        "runs when the file is opened",
    ),
    "open action that is an action": (
        lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.Named, N=Name.Print)),
        "runs when the file is opened",
    ),
    "XFA form": (
        lambda pdf: setattr(pdf.Root, "AcroForm", Dictionary(Fields=Array([]), XFA=String("<xdp/>"))),
        "interactive (XFA) form",
    ),
    "rich media annotation": (
        lambda pdf: annotate(pdf, Dictionary(Subtype=Name.RichMedia)),
        "embedded media",
    ),
}


@pytest.mark.parametrize("feature", ACTIVE_CONTENT)
def test_pdf_with_active_content_is_refused_and_the_message_names_it(feature: str) -> None:
    change, words = ACTIVE_CONTENT[feature]
    assert words in refused_for(pdf_bytes(change))


# --- what is accepted and what is stored ---------------------------------------------------


def test_a_plain_pdf_with_an_internal_link_and_an_opening_page_is_accepted() -> None:
    def harmless(pdf: pikepdf.Pdf) -> None:
        pdf.add_blank_page()
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])  # a page to show first, not an action
        annotate(
            pdf,
            Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))),
        )

    cleaned = clean_upload(upload(pdf_bytes(harmless)))
    assert cleaned.content_type == "application/pdf"
    assert len(pikepdf.open(io.BytesIO(cleaned.content)).pages) == 2


def test_what_is_stored_is_the_rewritten_file_without_old_revisions_or_trailing_bytes() -> None:
    # The first revision carries a script; the second removes it. Viewers show the second, and
    # only the second may be stored: the bytes of the first must not survive.
    first = hand_made(b"/Names<</JavaScript<</Names[(a) <</S/JavaScript/JS(steal)>>]>>>>")
    second = incremental_update(first, 1, b"<</Type/Catalog/Pages 2 0 R>>") + b"<html>smuggled</html>"
    cleaned = clean_upload(upload(second)).content
    assert b"steal" not in cleaned and b"smuggled" not in cleaned
    assert cleaned.startswith(b"%PDF") and len(pikepdf.open(io.BytesIO(cleaned)).pages) == 1


def test_password_protected_pdf_is_refused_with_a_clear_message() -> None:
    locked = pdf_bytes(encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert "protected with a password" in refused_for(locked)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n", hand_made(b"")[:-200]],
    ids=["garbage", "cut short"],
)
def test_damaged_pdf_is_refused(content: bytes) -> None:
    assert "damaged or incomplete" in refused_for(content)


def object_stream_bomb(inflated: int) -> bytes:
    """A PDF whose object stream is a few hundred KB on disk and ``inflated`` bytes once inflated."""
    packer = zlib.compressobj(9)
    chunks = [packer.compress(b"4 0 <</A 1>>")]
    block = b" " * (1 << 20)
    chunks += [packer.compress(block) for _ in range(inflated >> 20)]
    chunks.append(packer.flush())
    stream = b"".join(chunks)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in (
        (1, b"<</Type/Catalog/Pages 2 0 R/Extra 4 0 R>>"),
        (2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>"),
        (3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"),
    ):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[5] = len(out)
    out += b"5 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(stream)
    out += stream + b"\nendstream\nendobj\n"
    xref = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0), (2, 5, 0)]
    rows += [(1, offsets[5], 0), (1, xref, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_an_object_stream_that_inflates_to_a_hundred_megabytes_is_refused_quickly() -> None:
    bomb = object_stream_bomb(100 << 20)
    assert len(bomb) < 400_000
    started = time.monotonic()
    assert "damaged or incomplete" in refused_for(bomb)
    assert time.monotonic() - started < 5


def test_a_pdf_of_countless_tiny_objects_is_refused() -> None:
    many = pdf_bytes(
        lambda pdf: setattr(
            pdf.Root, "Junk", Array([pdf.make_indirect(Dictionary(A=n)) for n in range(25_000)])
        ),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    assert "damaged or incomplete" in refused_for(many)


# --- through the API, as an attacker sends it -----------------------------------------------


def test_api_refuses_a_hex_escaped_javascript_pdf_and_stores_nothing(
    freelancer_client: Any, freelancer: Any
) -> None:
    registration = RegistrationFactory(user=freelancer)
    hostile = hand_made(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>")
    response = freelancer_client.post(
        "/api/v1/me/registration/documents/",
        {"kind": "supporting", "file": SimpleUploadedFile("statement.pdf", hostile, "application/pdf")},
    )
    assert response.status_code == 400
    assert "script (JavaScript)" in str(response.json())
    assert not Document.objects.filter(registration=registration).exists()
