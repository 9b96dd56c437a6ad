"""Bench: the LKjIP of an agency with 30 indicators and charts, DOCX and PDF medians, LibreOffice.

    KINERJA_VAR_DIR=/tmp/kbench .venv/bin/python bench/documents_lkjip.py [--runs 5] [--agencies 40]

Builds a throw-away agency "BENCH-30" (10 objectives x 3 indicators, targets, quarterly actuals
for three years, programs with budget) in the configured database, times ``render`` for DOCX and
PDF, converts the same DOCX with LibreOffice the way an uploaded DOCX is converted
(``kinerja.documents.convert``: ``soffice --headless --convert-to pdf`` with a fresh private
profile) when it is installed, and with ``--agencies N`` times ``kinerja report all`` over N copies.
The machine is shared: run it several times and take the median of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")

import django

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def build_agency(code: str, seq: int = 0, objectives: int = 10, per_objective: int = 3):
    from kinerja.organisation.models import Agency, Employee, Position, PositionHolding, Region
    from kinerja.performance.models import (
        Activity,
        Actual,
        BudgetCeiling,
        Indicator,
        Objective,
        Program,
        Spending,
        StrategicPlan,
        SubActivity,
        Target,
    )

    region = Region.objects.get(code="63.11")
    agency, created = Agency.objects.get_or_create(
        code=code,
        defaults={
            "region": region,
            "name": f"Dinas Uji Beban {code}",
            "kind": "dinas",
            "time_zone": "Asia/Makassar",
            "head_title": "KEPALA DINAS UJI BEBAN",
        },
    )
    if not created:
        return agency
    head = Position.objects.create(
        agency=agency, name="Kepala Dinas", code="KADIS", kind="struktural", is_head=True
    )
    employee = Employee.objects.create(
        agency=agency, full_name="Budi Uji, S.E.", nip=f"197001012000031{seq + 1:03d}", rank="IV/b"
    )
    import datetime as dt

    PositionHolding.objects.create(position=head, employee=employee, start=dt.date(2020, 1, 1))
    plan = StrategicPlan.objects.create(
        agency=agency, title="Renstra 2021-2026", start_year=2021, end_year=2026
    )
    for o in range(objectives):
        objective = Objective.objects.create(
            plan=plan,
            level="strategis",
            code=f"S{o + 1}",
            statement=f"Meningkatnya kinerja layanan bidang {o + 1}",
            order=o,
        )
        program = Program.objects.create(
            agency=agency,
            code=f"P{o + 1}",
            name=f"Program layanan bidang {o + 1}",
            objective=objective,
        )
        activity = Activity.objects.create(
            program=program, code=f"P{o + 1}.1", name=f"Kegiatan {o + 1}"
        )
        sub = SubActivity.objects.create(
            activity=activity, code=f"P{o + 1}.1.1", name=f"Sub kegiatan {o + 1}"
        )
        for year in (2022, 2023, 2024):
            BudgetCeiling.objects.create(sub_activity=sub, year=year, amount=Decimal(500_000_000))
            for q in range(1, 5):
                Spending.objects.create(
                    sub_activity=sub, year=year, quarter=q, amount=Decimal(110_000_000)
                )
        for i in range(per_objective):
            indicator = Indicator.objects.create(
                objective=objective,
                code=f"I{o + 1}.{i + 1}",
                name=f"Persentase capaian layanan {o + 1}.{i + 1}",
                unit_of_measure="%",
                polarity="positive",
                aggregation="posisi_akhir",
                is_key=i == 0,
                end_target=Decimal(90),
                order=i,
            )
            for year in (2022, 2023, 2024, 2025, 2026):
                Target.objects.create(
                    indicator=indicator, year=year, value=Decimal(70 + year - 2022)
                )
            for year in (2022, 2023, 2024):
                for q in range(1, 5):
                    Actual.objects.create(
                        indicator=indicator,
                        year=year,
                        quarter=q,
                        value=Decimal(60 + q * 3 + i),
                        status="tetap",
                    )
    return agency


def median_time(function, runs: int) -> tuple[float, bytes]:
    times = []
    data = b""
    for _ in range(runs):
        start = time.perf_counter()
        data = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--agencies", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="report all --jobs")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from kinerja.organisation.models import Region

    if not Region.objects.filter(code="63.11").exists():
        with open(os.devnull, "w") as devnull:
            call_command("demo", stdout=devnull)
    from kinerja.documents.services.reports import render
    from kinerja.performance.models import Indicator

    agency = build_agency("BENCH-30")
    count = Indicator.objects.for_agency(agency).active_in(2024).count()
    render(agency, "lkjip", 2024, "2024", "docx")  # warm-up: imports, fonts
    docx_median, docx = median_time(
        lambda: render(agency, "lkjip", 2024, "2024", "docx"), args.runs
    )
    pdf_median, pdf = median_time(lambda: render(agency, "lkjip", 2024, "2024", "pdf"), args.runs)
    print(
        f"LKjIP {count} indicators, {args.runs} runs: DOCX median {docx_median:.2f} s ({len(docx) // 1024} KiB), PDF median {pdf_median:.2f} s ({len(pdf) // 1024} KiB)"
    )
    # What the document page's "Buat" does: one new version (draft DOCX and PDF, and the final
    # PDF the signature will sign).
    from kinerja.documents.services.versions import create_document, generate_version

    document = create_document(agency, "lkjip", 2024)
    version_median, _version = median_time(
        lambda: generate_version(document, formats=("docx", "pdf")), max(3, args.runs // 2)
    )
    print(f"LKjIP new version (generate_version, DOCX + PDFs): median {version_median:.2f} s")
    from kinerja.documents import convert

    if convert.soffice_binary():
        # The product's own path for an uploaded DOCX: a private LibreOffice profile each time.
        lo_median, _pdf = median_time(lambda: convert.docx_to_pdf(docx), max(3, args.runs // 2))
        print(f"LibreOffice DOCX->PDF of the same DOCX (fresh profile): median {lo_median:.2f} s")
    else:
        print("LibreOffice: not installed (apt-get install libreoffice-writer-nogui to compare)")
    if args.agencies:
        for n in range(1, args.agencies):
            build_agency(f"BENCH-30-{n:02d}", n)
        with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as devnull:
            start = time.perf_counter()
            call_command(
                "report",
                "all",
                "--year",
                "2024",
                "--region",
                "63.11",
                "--format",
                "pdf",
                "--out",
                tmp,
                "--jobs",
                str(args.jobs),
                stdout=devnull,
            )
            total = len(list(Path(tmp).iterdir()))
            print(
                f"kinerja report all --jobs {args.jobs}: {total} agencies (PDF) in "
                f"{time.perf_counter() - start:.1f} s"
            )


if __name__ == "__main__":
    main()
