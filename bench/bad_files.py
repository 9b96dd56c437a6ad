"""Time the refusal of each bad file of the fuzz corpus (run on demand, never inside the tests).

    KINERJA_VAR_DIR=/tmp/kvar-bench .venv/bin/python bench/bad_files.py [--runs 3]

Loads the demo offices, their performance data and SOPs into the configured database (idempotent),
then sends every bad file of ``tests/security/files.py`` through the real entry points (the
commands and the upload pages, logged in as the official who may upload) and prints the best wall
time of each refusal with the limit the issue sets (2 s for an XLSX, ZIP or DOCX, 1 s for an SOP)
and the first words of the message. Nothing is written: every file is refused.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
CODE = "DKUKMTK-BLG"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the pages' context (their messages) is kept for printing
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from kinerja.core.periods import Period
    from kinerja.documents.services import templates
    from kinerja.organisation.demo import load as load_offices
    from kinerja.organisation.models import Agency, Unit
    from kinerja.organisation.services.structure import export_structure
    from kinerja.performance.demo import load as load_performance
    from kinerja.performance.models import CollectionRound, StrategicPlan
    from kinerja.performance.services.collection import rounds, workbooks
    from kinerja.performance.services.planning.transfer import exporting
    from kinerja.procedures.demo import load as load_sops
    from kinerja.procedures.demo import seed_files
    from tests.security import files

    call_command("migrate", verbosity=0)
    load_offices()
    load_performance()
    load_sops()
    translation.activate("id")
    agency = Agency.objects.get(code=CODE)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects

    def client(username: str) -> Client:
        c = Client()
        c.force_login(users.get(username=username))
        return c

    buffer = io.BytesIO()
    export_structure(agency).save(buffer)
    structure = buffer.getvalue()
    buffer = io.BytesIO()
    exporting.export_plan(StrategicPlan.objects.filter(agency=agency).first()).save(buffer)
    plan = buffer.getvalue()
    found = CollectionRound.objects.filter(agency=agency, period="2025-Q3").first()
    q3 = found or rounds.open_round(agency, Period.parse("2025-Q3"))
    form = workbooks.form_bytes(q3, Unit.objects.get(agency=agency, code="BID-KOP"))
    seed = next(p for p in seed_files() if p.name.startswith("001")).read_text()
    pk = templates.default_bytes("pk")

    broken_workbooks = {
        "XLSX bomb 100 MB": lambda good: files.xlsx_bomb(good, 100),
        "XLSX 1500 parts": lambda good: files.xlsx_many_small_parts(good, 1500),
        "XLSX XXE": files.xlsx_xxe,
        "XLSX billion laughs": files.xlsx_laughs,
    }
    cases: list[tuple[str, str, float, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def on_disk(name: str, data: bytes | str) -> str:
            path = folder / f"{len(cases)}-{name}"  # one file per case: each runs later
            path.write_bytes(data.encode() if isinstance(data, str) else data)
            return str(path)

        def command(*argv):
            def run():
                err = io.StringIO()
                try:
                    call_command(*argv, stdout=io.StringIO(), stderr=err)
                except CommandError as exc:
                    return (err.getvalue().strip().splitlines() or [str(exc)])[0]
                return "ACCEPTED"

            return run

        def page(username: str, url: str, field: str, name: str, data: bytes, **extra):
            session = client(username)

            def run():
                response = session.post(
                    url, {field: SimpleUploadedFile(name, data), **extra}, follow=True
                )
                context = response.context or {}
                shown = [
                    str(i)
                    for key in ("issues", "problems", "errors")
                    for i in (context.get(key) or [])
                ]
                shown += [str(m) for m in context.get("messages", [])]
                return shown[0] if shown else f"HTTP {response.status_code}"

            return run

        for label, make in broken_workbooks.items():
            bad = make(structure)
            cases.append(
                (
                    label,
                    "kinerja org import",
                    2.0,
                    command("org", "import", on_disk("struktur.xlsx", bad), "--agency", CODE),
                )
            )
            cases.append(
                (
                    label,
                    "page: structure import",
                    2.0,
                    page(
                        "dkukmtk.admin",
                        reverse("organisation:structure_import", args=[CODE]),
                        "file",
                        "struktur.xlsx",
                        bad,
                    ),
                )
            )
            bad = make(plan)
            cases.append(
                (
                    label,
                    "kinerja plan import",
                    2.0,
                    command("plan", "import", on_disk("renstra.xlsx", bad), "--agency", CODE),
                )
            )
            bad = make(form)
            cases.append(
                (
                    label,
                    "kinerja forms import",
                    2.0,
                    command("forms", "import", str(q3.pk), on_disk("formulir.xlsx", bad)),
                )
            )
            cases.append(
                (
                    label,
                    "page: unit form",
                    2.0,
                    page(
                        "dkukmtk.kabid.kop",
                        reverse("performance:unit_form", args=[q3.pk, "BID-KOP"]),
                        "file",
                        "formulir.xlsx",
                        bad,
                    ),
                )
            )
        rows = files.rewrite(
            structure, {"xl/worksheets/sheet1.xml": files.unit_rows_sheet(100_000)}
        )
        cases.append(
            (
                "XLSX 100 000 rows",
                "kinerja org import",
                2.0,
                command("org", "import", on_disk("baris.xlsx", rows), "--agency", CODE),
            )
        )
        evidence = files.zip_with_large_part({"formulir.xlsx": form}, "bukti.txt", 100)
        cases.append(
            (
                "ZIP with a 100 MB evidence file",
                "page: unit form",
                2.0,
                page(
                    "dkukmtk.kabid.kop",
                    reverse("performance:unit_form", args=[q3.pk, "BID-KOP"]),
                    "file",
                    "kiriman.zip",
                    evidence,
                ),
            )
        )
        cases.append(
            (
                "DOCX bomb 100 MB",
                "page: Word templates",
                2.0,
                page(
                    "dkukmtk.admin",
                    reverse("documents:templates", args=[CODE]),
                    "file",
                    "templat.docx",
                    files.docx_bomb(pk, 100),
                    kind="pk",
                ),
            )
        )
        for label, text in (
            ("SOP billion laughs", files.yaml_laughs()),
            ("SOP 5 MB", files.yaml_padded(seed, 5)),
            ("SOP recursive alias", files.yaml_recursive()),
        ):
            cases.append(
                (
                    label,
                    "kinerja sop validate",
                    1.0,
                    command("sop", "validate", on_disk("sop.yaml", text)),
                )
            )
            cases.append(
                (
                    label,
                    "page: SOP upload",
                    1.0,
                    page(
                        "dkukmtk.kasubbag",
                        reverse("procedures:upload", args=[CODE]),
                        "file",
                        "sop.yaml",
                        text.encode(),
                    ),
                )
            )

        print(f"{'file':<32} {'entry point':<24} {'best s':>7} {'limit':>6}  message")
        slow = 0
        for label, entry, limit, run in cases:
            best, message = float("inf"), ""
            for _ in range(args.runs):
                start = time.perf_counter()
                message = run()
                best = min(best, time.perf_counter() - start)
            slow += best > limit
            flag = "" if best <= limit else "  << over the limit"
            message = message.split(": ", 1)[-1] if message.startswith("/") else message
            print(f"{label:<32} {entry:<24} {best:7.3f} {limit:6.1f}  {message[:80]}{flag}")
        print(f"{len(cases)} refusals timed, {slow} over their limit.")


if __name__ == "__main__":
    main()
