"""The world the generated access test walks: every layer's demo data plus one object of each
kind a URL can name (a task, a case, a round, a document and its version, a letter number, a
meeting, a task's output file), all of office A (DKUKMTK-BLG), and a fingerprint of every table.

The world is built once per module and committed, like the demo loaders of the other folders;
every test then runs in its own rolled-back transaction, so the fingerprint taken here is the
state each test starts from. Files live in a temporary folder of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from tests.officials import DINKES, DKUKMTK, SUPERUSER

OFFICE_A = "DKUKMTK-BLG"  # whose doors are tried
OFFICE_B = "DINKES-BLG"  # another office of the same pemda: its mirror, for mixed requests
PLANNERS = {OFFICE_A: DKUKMTK.kasubbag, OFFICE_B: DINKES.kasubag}
MARK = "security-world"  # the subject of each world's letter number: built once

# Tables that record a visit rather than a change: sessions, login bookkeeping (django-axes).
BOOKKEEPING_TABLES = frozenset(
    {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
)


@dataclass
class World:
    agency: object
    other_agency: object
    case: object
    open_task: object
    done_task: object
    task_file: object
    evidence: object  # an evidence file of unit BID-KOP's submission to the round (office A)
    meeting: object
    round: object
    document: object
    version: object
    letter_document: object
    letter: object
    plan: object
    goal: object
    objective: object
    indicator: object
    sop: object
    sop_version: object
    action_task: object = None  # office A: an open task whose step binds an action
    baseline: dict[str, str] = field(default_factory=dict)  # every table
    own_rows: dict[str, str] = field(default_factory=dict)  # the rows of this office


def _load_demo() -> None:
    from kinerja.cases.demo import load as load_cases
    from kinerja.documents.demo import load as load_documents
    from kinerja.organisation.demo import load as load_offices
    from kinerja.organisation.models import Agency
    from kinerja.performance import demo as performance_demo
    from kinerja.performance.models import Indicator
    from kinerja.procedures.demo import load as load_sops
    from kinerja.procedures.models import Sop

    if not Agency.objects.filter(code=OFFICE_A).exists():
        load_offices()
    if not Sop.objects.filter(agency__code=OFFICE_A).exists():
        load_sops()
    if not Indicator.objects.filter(objective__plan__agency__code=OFFICE_A).exists():
        performance_demo.load()
    load_cases()
    load_documents()


def _open_case(agency):
    from kinerja.cases.models import Case

    return (
        Case.objects.filter(agency=agency, status=Case.Status.OPEN, parent_task__isnull=True)
        .order_by("pk")
        .first()
    )


def _action_case(agency):
    """Office A's second run of its SOP (2023), at the step that binds ``generate_forms``."""
    from kinerja.cases import services
    from kinerja.cases.models import Case, Task
    from kinerja.procedures.models import Sop

    found = Case.objects.filter(agency=agency, period="2023").first()
    if found is None:
        sop = Sop.objects.filter(agency=agency).order_by("pk").first()
        found = services.start_case(sop, "2023", get_user_model().objects.get(username=SUPERUSER))
        first = found.tasks.get(status=Task.Status.OPEN)
        services.complete_task(first.pk, (first.worker or first.candidates.first()).user)
    return found


def _build(code: str) -> None:
    """Objects the demo does not have, made through the services the pages use."""
    from kinerja.cases.models import Meeting, Task, TaskFile
    from kinerja.core.periods import Period
    from kinerja.documents.services import cover, versions
    from kinerja.documents.services.letters import issue_letter_number
    from kinerja.organisation.models import Agency
    from kinerja.performance.services.collection import rounds, submissions

    agency = Agency.objects.get(code=code)
    planner = get_user_model().objects.get(username=PLANNERS[code])
    case = _open_case(agency)
    done = case.tasks.filter(status=Task.Status.DONE).order_by("pk").first()
    TaskFile.objects.create(
        task=done,
        file=SimpleUploadedFile("bukti.txt", b"bukti"),
        name="bukti.txt",
        uploaded_by=planner,
    )
    Meeting.objects.create(
        task=done,
        starts_at=timezone.now() + dt.timedelta(days=2),
        place="Aula",
        agenda="Rapat penyusunan laporan kinerja",
        scheduled_by=planner,
    )
    found = rounds.open_round(agency, Period.parse("2025-Q3"), planner)
    # an evidence file of a unit's submission (office A: the Bidang Koperasi's, by its head)
    unit = next(u for u in rounds.units_of(found) if rounds.round_indicators(found, u))
    if code == OFFICE_A:
        unit = agency.units.get(code="BID-KOP")
    first = rounds.round_indicators(found, unit)[0]
    submissions.submit(
        found,
        unit,
        [
            submissions.ValueInput(
                first.indicator_id,
                found.quarters[0],
                value=Decimal(1),
                evidence_files=[SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti")],
            )
        ],
        get_user_model().objects.get(
            username=DKUKMTK.kabid_kop if code == OFFICE_A else PLANNERS[code]
        ),
    )
    document = versions.create_document(
        agency, "lkjip", 2024, period="2024", actor=planner, case_id=case.pk
    )
    versions.generate_version(document, actor=planner)
    cover.cover_letter_for(document, actor=planner)
    issue_letter_number(agency, None, actor=planner, subject=MARK)
    if code == OFFICE_A:
        _action_case(agency)


def _world(code: str, other: str) -> World:
    from kinerja.cases.models import Meeting, Task, TaskFile
    from kinerja.documents.models import Document, LetterNumber
    from kinerja.organisation.models import Agency
    from kinerja.performance.models import CollectionRound, Evidence, Indicator
    from kinerja.procedures.models import Sop

    agency = Agency.objects.get(code=code)
    case = _open_case(agency)
    meeting = Meeting.objects.select_related("task").get(task__case=case)
    document = Document.objects.get(agency=agency, kind="lkjip", case_id=case.pk)
    plan = agency.strategic_plans.order_by("pk").first()
    indicator = Indicator.objects.for_agency(agency).order_by("pk").first()
    sop = Sop.objects.filter(agency=agency).order_by("pk").first()
    return World(
        agency=agency,
        other_agency=Agency.objects.get(code=other),
        case=case,
        open_task=case.tasks.get(status=Task.Status.OPEN),
        done_task=meeting.task,
        task_file=TaskFile.objects.get(task=meeting.task),
        evidence=Evidence.objects.filter(actual__indicator__objective__plan__agency=agency)
        .exclude(file="")
        .first(),
        meeting=meeting,
        round=CollectionRound.objects.get(agency=agency, period="2025-Q3"),
        document=document,
        version=document.versions.order_by("number").first(),
        letter_document=Document.objects.get(agency=agency, kind="cover_letter"),
        letter=LetterNumber.objects.get(agency=agency, subject=MARK),
        plan=plan,
        goal=plan.goals.order_by("pk").first(),
        objective=indicator.objective,
        indicator=indicator,
        sop=sop,
        sop_version=sop.effective_version(),
        action_task=(
            _action_case(agency).tasks.get(status=Task.Status.OPEN) if code == OFFICE_A else None
        ),
    )


# --- the fingerprint ---------------------------------------------------------------------------


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def table_digest(table: str) -> str:
    """The content of one table, independent of row order."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608  (a name from introspection)
        rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def watched_tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - BOOKKEEPING_TABLES)


def fingerprint() -> dict[str, str]:
    return {table: table_digest(table) for table in watched_tables()}


WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?',
    re.IGNORECASE,
)
OTHER_WRITE = re.compile(
    r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|ALTER|DROP|CREATE)\b", re.IGNORECASE
)


class WriteSpy:
    """Every table a statement wrote to (``*`` when the statement does not say which)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        found = WRITE.match(sql)
        if found:
            self.tables.add(found.group(1))
        elif OTHER_WRITE.match(sql):
            self.tables.add("*")
        return execute(sql, params, many, context)


def changed_tables(tables: set[str], baseline: dict[str, str]) -> list[str]:
    """The tables among ``tables`` whose content is no longer the baseline's."""
    if "*" in tables:
        tables = set(watched_tables())
    return sorted(
        t
        for t in tables - BOOKKEEPING_TABLES
        if (t not in baseline) or (table_digest(t) != baseline[t])
    )


def _agency_paths() -> dict[type, str]:
    """For every model, the chain of foreign keys that leads to its agency (``case__agency``),
    found from the models' fields, four steps at most."""
    from django.apps import apps

    from kinerja.organisation.models import Agency

    paths: dict[type, str] = {Agency: "pk"}
    for model in apps.get_models():
        queue = [(model, "")]
        seen = {model}
        while queue and model not in paths:
            current, path = queue.pop(0)
            for f in current._meta.get_fields():
                if not (f.many_to_one or f.one_to_one) or not f.concrete or not f.related_model:
                    continue
                step = f"{path}__{f.name}" if path else f.name
                if f.related_model is Agency:
                    paths[model] = step
                    break
                if f.related_model not in seen and step.count("__") < 3:
                    seen.add(f.related_model)
                    queue.append((f.related_model, step))
    return paths


def office_rows(agency, tables: set[str] | None = None) -> dict[str, str]:
    """A digest of the rows that belong to ``agency``, per table (only ``tables`` if given)."""
    found = {}
    for model, path in _agency_paths().items():
        table = model._meta.db_table
        if tables is not None and "*" not in tables and table not in tables:
            continue
        rows = model._base_manager.filter(**{path: agency.pk}).order_by("pk").values_list()
        found[table] = hashlib.sha256(
            "\n".join(repr(tuple(_plain(v) for v in r)) for r in rows).encode()
        ).hexdigest()
    return found


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-world")


@pytest.fixture(autouse=True)
def _world_files(settings, world_media):
    """The world's files stay where it was built, whatever another fixture says."""
    settings.MEDIA_ROOT = world_media / "media"
    settings.KINERJA_SIGNING_DIR = world_media / "signing"


def _worlds(media) -> dict[str, World]:
    from django.test import override_settings

    from kinerja.documents.models import LetterNumber

    files = override_settings(MEDIA_ROOT=media / "media", KINERJA_SIGNING_DIR=media / "signing")
    with files:
        _load_demo()
        for code in (OFFICE_A, OFFICE_B):
            if not LetterNumber.objects.filter(agency__code=code, subject=MARK).exists():
                _build(code)
        found = {OFFICE_A: _world(OFFICE_A, OFFICE_B), OFFICE_B: _world(OFFICE_B, OFFICE_A)}
        baseline = fingerprint()
        for each in found.values():
            each.baseline = baseline
            each.own_rows = office_rows(each.agency)
    return found


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, world_media) -> dict[str, World]:
    """Built once for the module inside a transaction that is rolled back after its last test
    (each test's own transaction is a savepoint in it), so no other test ever sees the world."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _worlds(world_media)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(worlds) -> World:
    """Office A's world, whose doors are tried."""
    return worlds[OFFICE_A]


@pytest.fixture(scope="module")
def mirror(worlds) -> World:
    """Office B's world: the same kinds of objects, for requests that mix the two offices."""
    return worlds[OFFICE_B]


@pytest.fixture(autouse=True)
def _no_last_login_write():
    """A test logs its visitors in before their requests; that login must not count as a change
    of ``auth_user`` should a request later write to that table."""
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    yield
    user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
