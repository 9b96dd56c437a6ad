"""Every number input reads through kinerja.core.xlsx.parse_number_id: what it refuses (an
ambiguous 4.880, an exponent, more digits than the fields hold) it refuses with a message naming
the whole input, on the command line, in the XLSX forms, on the unit form page and in the planning
forms; a negative actual only where the indicator allows it."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.formats import format_number_id
from kinerja.core.periods import Period
from kinerja.core.xlsx import InvalidFile, NumberError, parse_number_id
from kinerja.performance.forms.fields import IdNumberField, show_number
from kinerja.performance.models import Actual, Indicator, Submission
from kinerja.performance.services.collection import rounds, workbook_import
from tests.officials import DKUKMTK
from tests.performance.conftest import Form

ROOT = Path(__file__).resolve().parents[2]


# -- the parser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", "1234.56"),
        ("85,5", "85.5"),
        ("85,5%", "85.5"),
        ("4,88", "4.88"),
        ("4.88", "4.88"),
        ("1234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("0.500", "0.5"),
        ("-12,5", "-12.5"),
        (" 1 234 ", "1234"),
        ("1234567890123456", "1234567890123456"),
    ],
)
def test_numbers_as_people_type_them(text, value):
    assert parse_number_id(text) == Decimal(value)


@pytest.mark.parametrize("text", ["4.880", "12.500", "-4.880", "999.000", "4.880%"])
def test_a_single_dot_before_three_digits_is_refused_not_guessed(text):
    with pytest.raises(NumberError) as caught:
        parse_number_id(text)
    assert caught.value.code == "ambiguous"
    assert f"'{text}'" in caught.value.message and "gunakan koma desimal" in caught.value.message
    digits = text.lstrip("-").rstrip("%")
    assert digits.replace(".", ",") in caught.value.message  # 4,880
    assert digits.replace(".", "") in caught.value.message  # 4880


@pytest.mark.parametrize(
    "text", ["1" * 28, "1" * 17, "1,1234567890123456789", "1.234.567.890.123.456.789"]
)
def test_more_digits_than_the_fields_hold_are_refused_clearly(text):
    with pytest.raises(NumberError) as caught:
        parse_number_id(text)
    assert caught.value.code == "digits"
    assert f"'{text}'" in caught.value.message and "terlalu banyak angkanya" in caught.value.message


@pytest.mark.parametrize("text", ["1e-308", "2,5E3", "1E5", ".5e1"])
def test_an_exponent_is_refused_naming_the_whole_input(text):
    with pytest.raises(NumberError) as caught:
        parse_number_id(text)
    assert caught.value.code == "exponent" and f"'{text}'" in caught.value.message


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**20, True])
def test_cells_that_are_not_numbers_the_fields_hold(value):
    with pytest.raises(NumberError):
        parse_number_id(value)


def test_a_cell_number_keeps_its_binary_fraction():
    assert parse_number_id(0.1 + 0.2) == Decimal("0.30000000000000004")
    assert parse_number_id(1234) == Decimal(1234)


@given(
    st.decimals(
        min_value=Decimal("-9999999999999.9999"),
        max_value=Decimal("9999999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.integers(min_value=0, max_value=4),
)
def test_what_the_product_prints_reads_back(value, places):
    """format_number_id -> parse_number_id gives the number back; the only exception is a whole
    number of one thousands group printed without decimals (4.880), which is refused rather than
    read as 4,88."""
    text = format_number_id(value, places)
    expected = value.quantize(Decimal(1).scaleb(-places))
    try:
        assert parse_number_id(text) == expected
    except NumberError as exc:
        assert places == 0 and 1000 <= abs(expected) < 1_000_000, text
        assert exc.code == "ambiguous"
    # what a form shows reads back always
    assert parse_number_id(show_number(expected)) == expected


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_a_value_error(text):
    try:
        result = parse_number_id(text)
    except NumberError as exc:
        assert exc.message and isinstance(exc, ValueError)
    else:
        assert isinstance(result, Decimal) and result.is_finite()


@given(
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["", "-", "+"]),
)
def test_every_ambiguous_form_is_refused(whole, thousandths, sign):
    with pytest.raises(NumberError) as caught:
        parse_number_id(f"{sign}{whole}.{thousandths:03d}")
    assert caught.value.code == "ambiguous"


@given(st.text(alphabet="0123456789.,-+e% ", max_size=30))
def test_number_like_text_never_raises_anything_but_a_value_error(text):
    with contextlib.suppress(ValueError):  # any other exception fails the test
        parse_number_id(text)


def test_the_planning_form_field_says_why():
    with pytest.raises(Exception) as caught:
        IdNumberField().clean("4.880")
    assert "gunakan koma desimal" in " ".join(caught.value.messages)
    assert IdNumberField().clean("4880") == Decimal(4880)
    assert show_number(Decimal(4880)) == "4880" and show_number(Decimal("4880000")) == "4.880.000"


# -- the command line ---------------------------------------------------------------------------


def achievement(*args) -> str:
    out = io.StringIO()
    call_command("achievement", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as caught:
        achievement(*args)
    return str(caught.value)


def test_twenty_eight_digits_give_a_message_not_a_traceback():
    message = refused("--target", "10", "--actual", "1" * 28, "--polarity", "positive")
    assert "--actual" in message and "terlalu banyak angkanya" in message


def test_an_ambiguous_figure_is_refused():
    message = refused("--target", "5", "--actual", "4.880", "--polarity", "positive")
    assert "'4.880'" in message and "gunakan koma desimal" in message


def test_a_negative_actual_is_refused_unless_allowed():
    message = refused("--target", "10", "--actual", "-5", "--polarity", "negative")
    assert "di bawah nol" in message and "--allow-negative" in message
    text = achievement(
        "--target", "10", "--actual", "-5", "--polarity", "positive", "--allow-negative"
    )
    assert "-50,00" in text  # -5 / 10 x 100


def test_polarity_is_required_for_one_figure():
    message = refused("--target", "10", "--actual", "8")
    assert "--polarity" in message and "positive" in message


@pytest.mark.parametrize("target", ["80-90", "80–90", "80 – 90", "80 - 90"])
def test_a_range_with_a_hyphen_or_an_en_dash(target):
    assert achievement("--target", target, "--actual", "95", "--polarity", "positive") == (
        achievement("--target", "80-90", "--actual", "95", "--polarity", "positive")
    )


def test_an_exponent_is_refused_naming_the_whole_input_on_the_command_line():
    message = refused("--target", "1", "--actual", "1e-308", "--polarity", "positive")
    assert "'1e-308'" in message and "'1e'" not in message


def test_kinerja_version_is_kinerja_s():
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = subprocess.run(
        [sys.executable, "-m", "kinerja", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout.startswith(f"Kinerja {expected} ")


# -- forms, pages and the indicator's flag ------------------------------------------------------


@pytest.mark.django_db
def test_an_ambiguous_figure_in_the_xlsx_form_is_refused_at_its_cell(q3_round, unit_kop, form_for):
    form = form_for(q3_round, unit_kop)
    form.set("K-1", "Realisasi TW III", "4.880", as_text=True)
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    [issue] = caught.value.issues
    assert issue.row == form.row_of("K-1") and "Realisasi TW III" in issue.column
    assert "gunakan koma desimal" in issue.message
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_an_ambiguous_figure_on_the_unit_form_page(q3_round, unit_kop, client_for):
    ri = rounds.round_indicators(q3_round, unit_kop)
    k1 = next(r for r in ri if r.code == "K-1")
    response = client_for(DKUKMTK.kabid_kop).post(
        reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"]),
        {f"v-{k1.pk}-3": "4.880"},
    )
    errors = " ".join(response.context["errors"])
    assert "'4.880'" in errors and "gunakan koma desimal" in errors
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_flag_is_edited_on_the_indicator_page_with_its_history(dkukmtk, client_for):
    from kinerja.core.models import AuditEntry
    from tests.performance.test_planning_edit import form_data

    indicator = Indicator.objects.for_agency(dkukmtk).get(code="K-1")
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, indicator.pk])
    client = client_for(DKUKMTK.kasubbag)
    page = client.get(url)
    assert 'name="allows_negative"' in page.content.decode()
    data = form_data(page) | {"allows_negative": "on"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.allows_negative
    entry = AuditEntry.objects.get(
        action="performance.indicator.changed", object_id=str(indicator.pk)
    )
    assert entry.before["allows_negative"] is False and entry.after["allows_negative"] is True


@pytest.mark.django_db
def test_a_negative_actual_is_taken_only_where_the_indicator_allows_it(
    dkukmtk, unit_kop, form_for, kasubbag
):
    Indicator.objects.filter(code="K-1", unit=unit_kop).update(allows_negative=True)
    found = rounds.open_round(dkukmtk, Period.parse("2025-Q3"), kasubbag)
    form = form_for(found, unit_kop)
    form.set("K-1", "Realisasi TW III", "-1,5", as_text=True)
    form.set("IKU-1", "Realisasi TW III", "-2", as_text=True)
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(found, form.bytes())
    [issue] = caught.value.issues
    assert issue.row == form.row_of("IKU-1")
    form.set("IKU-1", "Realisasi TW III", "2", as_text=True)
    form.set("K-1", "Tautan Bukti", "https://contoh.go.id/bukti/k1.pdf")
    workbook_import.import_form(found, Form(form.bytes().getvalue()).bytes())
    actual = Actual.objects.get(
        indicator__code="K-1", indicator__unit=unit_kop, year=2025, quarter=3
    )
    assert actual.value == Decimal("-1.5")


# -- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("200.000", Decimal(200_000)),
        ("Rp 200.000", Decimal(200_000)),
        ("Rp200.000,50", Decimal("200000.50")),
        ("1.250", Decimal(1250)),
        ("3.202.500.000", Decimal(3_202_500_000)),
        ("750000", Decimal(750_000)),
        ("12,5", Decimal("12.5")),
    ],
)
def test_rupiah_as_offices_type_them(text, value):
    """A rupiah amount has at most two decimals (sen), so 200.000 can only be two hundred thousand:
    money fields read it so, while a figure of an indicator is asked which it means."""
    assert parse_number_id(text, money=True) == value
    assert forms_money_field().clean(text) == value


def forms_money_field():
    from kinerja.performance.forms.fields import money_field

    return money_field()


@pytest.mark.parametrize("text", ["4.880,123", "Rp 1e6", "Rp", "200.00.0", "Rp -5"])
def test_money_that_is_not_an_amount_is_still_refused(text):
    with pytest.raises(Exception):  # noqa: B017 - NumberError or the field's ValidationError
        forms_money_field().clean(text)


def test_an_indicator_figure_keeps_asking():
    with pytest.raises(NumberError):
        parse_number_id("Rp 200.000")
    with pytest.raises(NumberError):
        parse_number_id("200.000")


@pytest.mark.django_db
def test_rupiah_on_the_unit_form_page(q3_round, unit_kop, client_for):
    """The Kepala Bidang types the quarter's spending as offices write rupiah: Rp 200.000."""
    from kinerja.performance.models import Spending

    ri = rounds.round_indicators(q3_round, unit_kop)
    k1 = next(r for r in ri if r.code == "K-1")
    page = client_for(DKUKMTK.kabid_kop).get(
        reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"])
    )
    [cell] = [
        c["name"]
        for row in page.context["budget_rows"]
        for c in row["cells"]
        if c["input"] and c["quarter"] == 3
    ][:1]
    sub_pk = int(cell.split("-")[1])
    response = client_for(DKUKMTK.kabid_kop).post(
        reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"]),
        {f"v-{k1.pk}-3": "4,88", f"l-{k1.pk}": "https://bukti.example/k1", cell: "Rp 200.000"},
    )
    assert response.status_code == 302, response.context["errors"]
    assert Spending.objects.get(sub_activity_id=sub_pk, year=q3_round.year, quarter=3).amount == (
        Decimal(200_000)
    )
