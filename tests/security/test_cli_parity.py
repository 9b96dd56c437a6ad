"""The command line applies the pages' rule to an official (``--as``): refused by a page, refused
by the command, with an Indonesian message; allowed by the page, allowed by the command.

Issue 10: the CLI let an official complete a task whose page answered 404 for the same official.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.models import Task
from kinerja.core.periods import Period
from kinerja.documents.models import LetterNumber
from kinerja.documents.services.letters import issue_letter_number
from kinerja.organisation.models import Agency, Employee, PositionHolding
from kinerja.performance.models import CollectionRound
from kinerja.performance.services.collection import rounds
from tests.cases.conftest import monday, seed_sops  # noqa: F401  (shared fixtures)
from tests.cases.helpers import at_action
from tests.officials import ADPIM, BALANGAN, DINKES, DKUKMTK

# what the pages' refusals say on the command line (Indonesian)
REFUSED = r"Tidak ditemukan|tidak berwenang|Hanya"


def run(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def dkukmtk_case(seed_sops, official):  # noqa: F811
    return services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris))


def test_a_task_the_page_hides_cannot_be_completed_from_the_command_line(dkukmtk_case, client_for):
    """The Kasubbag moved to another office this morning: his holding ended, his record is now
    Dinas Kesehatan's, and the task he held has not been handed on yet. Its page answers 404 to
    him; the command line and the API refuse him too, and the task stays open."""
    task = at_action(dkukmtk_case, "generate_forms")
    assert task.worker.user.username == DKUKMTK.kasubbag
    employee = task.worker
    yesterday = dt.date.today() - dt.timedelta(days=1)
    PositionHolding.objects.filter(employee=employee).update(end=yesterday)
    Employee.objects.filter(pk=employee.pk).update(agency=Agency.objects.get(code="DINKES-BLG"))
    moved = client_for(DKUKMTK.kasubbag)
    assert moved.get(reverse("cases:task", args=[task.pk])).status_code == 404
    assert moved.post(reverse("cases:complete", args=[task.pk])).status_code == 404
    assert (
        moved.post(reverse("api:task-complete", args=[task.pk]), {}, "application/json").status_code
        == 404
    )
    with pytest.raises(CommandError, match=REFUSED):
        run("task", "complete", str(task.pk), "--as", DKUKMTK.kasubbag)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


@pytest.fixture
def world(offices, official, seed_sops, tmp_path):  # noqa: F811
    """A round of DKUKMTK and a filled form of BID-KOP, a case, a letter number."""
    from tests.performance.conftest import Form

    dkukmtk = offices["DKUKMTK-BLG"]
    found = rounds.open_round(dkukmtk, Period.parse("2025-Q3"), official(DKUKMTK.kasubbag))
    unit = dkukmtk.units.get(code="BID-KOP")
    from kinerja.performance.services.collection import workbooks

    form = tmp_path / "kop.xlsx"
    form.write_bytes(Form(workbooks.form_bytes(found, unit)).bytes().getvalue())
    letter = issue_letter_number(dkukmtk, None, actor=official(DKUKMTK.kasubbag), subject="x")
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris))
    return {
        "round": found,
        "form": str(form),
        "letter": letter,
        "case": case,
        "out": str(tmp_path / "out"),
    }


# (who, the command, the page doing the same work: method, URL name, its arguments)
REFUSALS = [
    (
        DKUKMTK.kabid_ukm,
        ["round", "open", "--agency", "DKUKMTK-BLG", "--period", "2026-Q1"],
        ("GET", "performance:round_open", ["DKUKMTK-BLG"]),
    ),
    (
        DINKES.kepala,
        ["round", "open", "--agency", "DKUKMTK-BLG", "--period", "2026-Q1"],
        ("GET", "performance:round_open", ["DKUKMTK-BLG"]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["round", "status", "{round}"],
        ("POST", "performance:round_reopen", ["{round}"]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["forms", "generate", "{round}", "--out", "{out}"],
        ("POST", "performance:round_mark", ["{round}", "generate_forms"]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["forms", "import", "{round}", "{form}"],
        ("GET", "performance:unit_form", ["{round}", "BID-KOP"]),
    ),
    (
        ADPIM.kepala,
        ["forms", "import", "{round}", "{form}"],
        ("GET", "performance:unit_form", ["{round}", "BID-KOP"]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["plan", "export", "{out}.xlsx", "--agency", "DKUKMTK-BLG"],
        ("GET", "performance:plan_export", ["DKUKMTK-BLG"]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["plan", "import", "{out}.xlsx", "--agency", "DKUKMTK-BLG"],
        ("GET", "performance:plan_import", ["DKUKMTK-BLG"]),
    ),
    (
        DINKES.kepala,
        ["letter", "issue", "--agency", "DKUKMTK-BLG"],
        ("GET", "documents:letters", ["DKUKMTK-BLG"]),
    ),
    (
        ADPIM.kepala,
        ["report", "lkjip", "--agency", "DKUKMTK-BLG", "--year", "2024", "--out", "{out}"],
        ("GET", "documents:agency", ["DKUKMTK-BLG"]),
    ),
    (
        ADPIM.kepala,
        ["package", "--agency", "DKUKMTK-BLG", "--year", "2024", "--out", "{out}"],
        ("POST", "documents:package", ["DKUKMTK-BLG", 2024]),
    ),
    (
        DKUKMTK.kabid_ukm,
        ["org", "import", "{form}", "--agency", "DKUKMTK-BLG"],
        ("GET", "organisation:structure_import", ["DKUKMTK-BLG"]),
    ),
    (
        ADPIM.kepala,
        ["org", "export", "--agency", "DKUKMTK-BLG", "--out", "{out}"],
        ("GET", "organisation:structure_export", ["DKUKMTK-BLG"]),
    ),
    (
        BALANGAN.admin,  # the regional administrator of another region
        ["org", "import", "{form}", "--agency", "ADPIM-KALBAR"],
        ("GET", "organisation:structure_import", ["ADPIM-KALBAR"]),
    ),
    (
        BALANGAN.admin,
        ["org", "export", "--agency", "ADPIM-KALBAR", "--out", "{out}"],
        ("GET", "organisation:structure_export", ["ADPIM-KALBAR"]),
    ),
    (
        ADPIM.kepala,
        ["case", "show", "{case}"],
        ("GET", "cases:case", ["{case}"]),
    ),
    (
        DINKES.kepala,
        [
            "case",
            "start",
            "--sop",
            "penyusunan-lakip",
            "--agency",
            "DKUKMTK-BLG",
            "--period",
            "2023",
        ],
        ("GET", "organisation:agency", ["DKUKMTK-BLG"]),
    ),
]


def _fill(values, world):
    names = {k: str(v.pk) if hasattr(v, "pk") else v for k, v in world.items()}
    return [str(v).format(**names) for v in values]


@pytest.mark.parametrize(
    ("username", "argv", "page"), REFUSALS, ids=[" ".join(r[1][:2]) + " " + r[0] for r in REFUSALS]
)
def test_refused_by_the_page_refused_by_the_command(username, argv, page, world, client_for):
    method, name, args = page
    url = reverse(name, args=_fill(args, world))
    response = getattr(client_for(username), method.lower())(url)
    assert response.status_code in (403, 404), f"the page lets {username} in: {url}"
    round_count = CollectionRound.objects.count()
    letters = LetterNumber.objects.count()
    with pytest.raises(CommandError, match=REFUSED):
        run(*_fill(argv, world), "--as", username)
    assert CollectionRound.objects.count() == round_count
    assert LetterNumber.objects.count() == letters


def test_voiding_a_number_is_refused_to_whoever_the_page_refuses(world, client_for):
    letter = world["letter"]
    client_for(DKUKMTK.kabid_ukm).post(
        reverse("documents:letters", args=["DKUKMTK-BLG"]),
        {"what": "void", "letter": letter.pk, "reason": "salah"},
    )
    with pytest.raises(CommandError, match=REFUSED):
        run(
            "letter", "void", "--agency", "DKUKMTK-BLG", "--number", letter.number,
            "--reason", "salah", "--as", DKUKMTK.kabid_ukm,
        )  # fmt: skip
    letter.refresh_from_db()
    assert letter.status == LetterNumber.Status.ISSUED


def test_allowed_by_the_page_allowed_by_the_command_and_recorded_as_that_official(
    world, client_for
):
    run(
        "round",
        "open",
        "--agency",
        "DKUKMTK-BLG",
        "--period",
        "2026-Q1",
        "--as",
        DKUKMTK.kasubbag,
    )
    opened = CollectionRound.objects.get(agency__code="DKUKMTK-BLG", period="2026-Q1")
    assert opened.opened_by.username == DKUKMTK.kasubbag
    number = json.loads(
        run("letter", "issue", "--agency", "DKUKMTK-BLG", "--json", "--as", DKUKMTK.kabid_ukm)
    )["number"]
    issued = LetterNumber.objects.get(agency__code="DKUKMTK-BLG", number=number)
    assert issued.issued_by.username == DKUKMTK.kabid_ukm
    shown = run("case", "show", str(world["case"].pk), "--json", "--as", DKUKMTK.kabid_ukm)
    assert json.loads(shown)["id"] == world["case"].pk
