"""CSV import: every bad row reported with its line, nothing written on a dry run or a bad file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centres import csv_io
from centres.models import Centre, Operator, Space

from .factories import CentreFactory, FacilityFactory, SpaceFactory

pytestmark = pytest.mark.django_db

PROVINCES = ["Punjab", "sindh", "KP", "Balochistan", "Islamabad Capital Territory", "gb", "AJK"]


def good_row(n: int) -> dict[str, object]:
    return {
        "slug": f"centre-{n:04d}",
        "name": f"e-Rozgar Centre {n}",
        "operator": f"Partner {n % 7}",
        "city": f"City {n % 40}",
        "province": PROVINCES[n % 7],
        "tier": n % 3 + 1,
        "address": f"{n} Main Boulevard",
        "latitude": "31.5",
        "longitude": "74.3",
        "facilities": "backup-power;prayer-area" if n % 2 else "",
        "workstation_count": 3,
        "workstation_daily_pkr": 250,
        "workstation_monthly_pkr": 3500,
        "meeting_room_count": 1 if n % 5 == 0 else "",
        "meeting_room_capacity": 8 if n % 5 == 0 else "",
        "meeting_room_hourly_pkr": 900 if n % 5 == 0 else "",
    }


BAD_ROWS = {
    # position in the file (0-based among data rows) -> (row changes, words of the reason)
    100: ({"province": "Atlantis"}, "unknown province"),
    250: ({"workstation_monthly_pkr": "-3500"}, "cannot be negative"),
    500: ({"slug": "centre-0007"}, "duplicate slug"),
    750: ({"city": ""}, "city is missing"),
    900: ({"latitude": "131.5"}, "latitude 131.5 is outside Pakistan"),
}


def make_csv(good: int = 1000, bad: bool = True) -> tuple[str, dict[int, str]]:
    rows, expected = [], {}
    for n in range(good):
        rows.append(good_row(n))
        if bad and n in BAD_ROWS:
            changes, reason = BAD_ROWS[n]
            rows.append({**good_row(10_000 + n), **changes})
            expected[len(rows) + 1] = reason  # +1 for the header line
    buffer = io.StringIO()
    csv_io.write_rows(rows, buffer)
    return buffer.getvalue(), expected


@pytest.fixture(autouse=True)
def facilities():
    FacilityFactory(code="backup-power")
    FacilityFactory(code="prayer-area")


def test_dry_run_reports_each_bad_row_with_its_line_and_writes_nothing():
    text, expected = make_csv()

    result = csv_io.import_centres_csv(io.StringIO(text), dry_run=True)

    assert result.rows == 1005
    assert [e.line for e in result.errors] == sorted(expected)
    for error in result.errors:
        assert expected[error.line] in error.reason, error
    assert not result.written
    assert Centre.objects.count() == 0
    assert Operator.objects.count() == 0


def test_a_real_run_of_a_file_with_bad_rows_writes_nothing_then_the_fixed_file_imports_1000():
    text, _expected = make_csv()

    refused = csv_io.import_centres_csv(io.StringIO(text), dry_run=False)
    assert len(refused.errors) == 5 and not refused.written
    assert Centre.objects.count() == 0

    fixed, _none = make_csv(bad=False)
    result = csv_io.import_centres_csv(io.StringIO(fixed), dry_run=False)

    assert result.ok and result.written
    assert result.created == 1000
    assert Centre.objects.count() == 1000
    assert Space.objects.count() == 1000 * 3 + 200
    centre = Centre.objects.get(slug="centre-0005")
    assert centre.province == "gb"
    assert centre.operator.name == "Partner 5"
    assert sorted(centre.facilities.values_list("code", flat=True)) == ["backup-power", "prayer-area"]
    assert Centre.objects.get(slug="centre-0002").province == "kp"
    assert Space.objects.get(centre=centre, label="MR-001").capacity == 8
    assert Space.objects.get(centre=centre, label="WS-003").rate_monthly_pkr == 3500


def test_skip_invalid_imports_the_1000_good_rows_and_reports_the_5():
    text, _expected = make_csv()

    result = csv_io.import_centres_csv(io.StringIO(text), dry_run=False, skip_invalid=True)

    assert len(result.errors) == 5
    assert Centre.objects.count() == 1000


def test_an_existing_slug_updates_that_centre_and_adds_missing_spaces():
    centre = CentreFactory(slug="centre-0001", name="Old name")
    SpaceFactory(centre=centre, label="WS-001", rate_monthly_pkr=3000)
    buffer = io.StringIO()
    csv_io.write_rows([good_row(1)], buffer)

    result = csv_io.import_centres_csv(io.StringIO(buffer.getvalue()), dry_run=False)

    assert (result.created, result.updated, result.spaces_created) == (0, 1, 2)
    centre.refresh_from_db()
    assert centre.name == "e-Rozgar Centre 1"
    assert set(centre.spaces.values_list("rate_monthly_pkr", flat=True)) == {3500}


def test_only_new_creates_the_missing_centres_and_leaves_existing_ones_exactly_as_they_are():
    centre = CentreFactory(slug="centre-0001", name="Renamed by PSEB", status="suspended")
    SpaceFactory(centre=centre, label="WS-001", rate_monthly_pkr=3000)
    buffer = io.StringIO()
    csv_io.write_rows([good_row(1), good_row(2)], buffer)

    result = csv_io.import_centres_csv(io.StringIO(buffer.getvalue()), dry_run=False, only_new=True)

    assert (result.rows, result.created, result.updated, result.spaces_created) == (2, 1, 0, 3)
    centre.refresh_from_db()
    assert (centre.name, centre.status) == ("Renamed by PSEB", "suspended")
    assert list(centre.spaces.values_list("label", "rate_monthly_pkr")) == [("WS-001", 3000)]
    assert Centre.objects.get(slug="centre-0002").spaces.count() == 3


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"tier": "4"}, "tier must be at most 3"),
        ({"longitude": "east"}, "longitude “east” is not a number"),
        ({"longitude": ""}, "give both latitude and longitude"),
        ({"facilities": "hot-tub"}, "unknown facility hot-tub"),
        ({"slug": "not a slug"}, "may only hold letters"),
        ({"slug": "manage"}, "is reserved"),
        ({"workstation_daily_pkr": "", "workstation_monthly_pkr": ""}, "need at least one price"),
        ({"email": "not-an-email"}, "is not an email address"),
        ({"workstation_capacity": "4"}, "workstation: A workstation or cabin seats one person."),
    ],
)
def test_other_bad_values_are_explained(changes, reason):
    buffer = io.StringIO()
    csv_io.write_rows([{**good_row(1), **changes}], buffer)

    result = csv_io.import_centres_csv(io.StringIO(buffer.getvalue()), dry_run=True)

    assert len(result.errors) == 1
    assert result.errors[0].line == 2
    assert reason in result.errors[0].reason


def test_a_file_without_the_required_columns_is_refused():
    result = csv_io.import_centres_csv(io.StringIO("name,city\nA,Lahore\n"), dry_run=True)

    assert [(e.line, e.reason) for e in result.errors] == [
        (1, "the header lacks the columns slug, province, address.")
    ]


def test_export_then_import_round_trips():
    text, _ = make_csv(good=20, bad=False)
    csv_io.import_centres_csv(io.StringIO(text), dry_run=False)

    exported = csv_io.export_csv(Centre.objects.all())
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 20
    assert rows[0]["workstation_count"] == "3"

    result = csv_io.import_centres_csv(io.StringIO(exported), dry_run=True)
    assert result.ok and result.updated == 20 and result.created == 0


def test_export_neutralises_spreadsheet_formulas():
    CentreFactory(name='=HYPERLINK("http://evil")')

    assert "'=HYPERLINK" in csv_io.export_csv(Centre.objects.all())


def test_command_dry_run_reports_lines_and_a_summary(tmp_path: Path, capsys):
    text, expected = make_csv()
    path = tmp_path / "centres.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError, match="5 bad row"):
        call_command("import_centres", str(path), "--dry-run", stdout=out, stderr=io.StringIO())

    for line in expected:
        assert f"line {line}:" in out.getvalue()
    assert "1005 rows read, 5 bad: nothing was imported." in out.getvalue()
    assert Centre.objects.count() == 0


def test_command_imports_a_good_file_with_a_progress_bar(tmp_path: Path):
    text, _ = make_csv(good=1000, bad=False)
    path = tmp_path / "centres.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_centres", str(path), stdout=out, stderr=err)

    assert "1000 centres created" in out.getvalue()
    assert "1000/1000" in err.getvalue()  # tqdm's bar
    assert Centre.objects.count() == 1000
