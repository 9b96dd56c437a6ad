"""The letter register: sequence per agency per year, voiding, the command, concurrency."""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connections

from kinerja.core.models import AuditEntry
from kinerja.documents.models import LetterNumber
from kinerja.documents.services.letters import issue_letter_number, void_letter_number

pytestmark = pytest.mark.django_db


def test_seed_numbers_from_the_register(offices, kasubbag):
    dk = offices["DKUKMTK-BLG"]
    numbers = [
        issue_letter_number(dk, "000.8.3.3", actor=kasubbag, day=dt.date(2024, 1, 15)).number
        for _ in range(3)
    ]
    assert numbers == [
        "000.8.3.3/001/DKUKMTK-BLG/2024",
        "000.8.3.3/002/DKUKMTK-BLG/2024",
        "000.8.3.3/003/DKUKMTK-BLG/2024",
    ]
    ktt = offices["KTT_BLG"]
    for _ in range(12):
        issue_letter_number(ktt, "000.8.6.3", day=dt.date(2023, 7, 3))
    assert (
        issue_letter_number(ktt, "067", day=dt.date(2023, 7, 20)).number
        == "067/013/KTT_BLG/VII/2023"
    )
    assert (
        AuditEntry.objects.filter(
            action="documents.letter.issued", agency_code="DKUKMTK-BLG"
        ).count()
        == 3
    )


def test_sequence_per_agency_per_year(offices):
    dk, dinkes = offices["DKUKMTK-BLG"], offices["DINKES-BLG"]
    assert issue_letter_number(dk, day=dt.date(2024, 12, 31)).sequence == 1
    assert issue_letter_number(dinkes, day=dt.date(2024, 12, 31)).sequence == 1
    assert issue_letter_number(dk, day=dt.date(2025, 1, 2)).sequence == 1
    assert issue_letter_number(dk, day=dt.date(2024, 12, 31)).sequence == 2


def test_voided_number_stays_and_is_not_reissued(offices, kasubbag):
    dk = offices["DKUKMTK-BLG"]
    first = issue_letter_number(dk, day=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        void_letter_number(first, "  ")
    void_letter_number(first, "Salah alamat", actor=kasubbag)
    second = issue_letter_number(dk, day=dt.date(2024, 3, 1))
    assert second.sequence == 2
    first.refresh_from_db()
    assert first.status == "voided" and first.void_reason == "Salah alamat"
    with pytest.raises(ValidationError):
        first.delete()
    with pytest.raises(ValidationError):
        void_letter_number(first, "again")


def test_bad_classification(offices):
    with pytest.raises(ValidationError):
        issue_letter_number(offices["DKUKMTK-BLG"], "SOP")


def test_command_issue_json(offices):
    out = StringIO()
    call_command(
        "letter",
        "issue",
        "--agency",
        "KTT_BLG",
        "--classification",
        "000.8.6.3",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["agency"] == "KTT_BLG" and data["sequence"] == 1
    assert data["number"].startswith("000.8.6.3/001/KTT_BLG/")
    out = StringIO()
    call_command(
        "letter",
        "void",
        "--agency",
        "KTT_BLG",
        "--number",
        data["number"],
        "--reason",
        "uji",
        stdout=out,
    )
    out = StringIO()
    call_command("letter", "list", "--agency", "KTT_BLG", stdout=out)
    assert "voided" in out.getvalue() and "uji" in out.getvalue()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_issuing_yields_consecutive_distinct_numbers(offices):
    """50 officials at the same moment: 50 consecutive numbers, none twice, none skipped."""
    agency = offices["DINKES-BLG"]
    threads_count = 50
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def work():
        try:
            barrier.wait()
            letter = issue_letter_number(agency, "000.8.6.3", day=dt.date(2024, 5, 2))
            results.append(letter.sequence)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(results) == list(range(1, threads_count + 1))
    numbers = LetterNumber.objects.filter(agency=agency, year=2024).values_list("number", flat=True)
    assert len(set(numbers)) == threads_count
