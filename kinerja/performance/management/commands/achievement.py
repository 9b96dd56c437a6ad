from __future__ import annotations

import json
import re
from decimal import Decimal, DecimalException
from typing import IO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.core.formats import format_number_id
from kinerja.core.periods import Period, PeriodError
from kinerja.core.xlsx import NumberError, parse_number_id
from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.serialize import achievement_to_dict

# A range target as people (and this command's own explanations) write it: 80-90, 80–90, 80 – 90.
_RANGE = re.compile(r"^\s*(.*?\d%?)\s*[-\u2013\u2014]\s*([-+]?\d.*)$")


def _number(text: str, option: str) -> Decimal:
    try:
        return parse_number_id(text)
    except NumberError as exc:
        raise CommandError(f"--{option}: {exc.message}") from None


def _target(text: str) -> tuple[Decimal, Decimal | None]:
    """(target, upper): one number, or a range with a hyphen or an en dash."""
    try:
        return parse_number_id(text), None
    except NumberError as exc:
        match = _RANGE.match(text)
        if exc.code != "invalid" or match is None:
            raise CommandError(f"--target: {exc.message}") from None
        return _number(match.group(1), "target"), _number(match.group(2), "target")


class Command(BaseCommand):
    help = (
        "Achievement: of one figure (--target --actual --polarity) or of every indicator of an "
        "agency for a period (--agency --period)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--target", help="Target; 80 or a range 80-90 (or 80–90); Indonesian 1.234,5 ok."
        )
        parser.add_argument("--actual")
        parser.add_argument(
            "--polarity",
            choices=["positive", "negative"],
            help="Required with --target/--actual: positive (higher is better) or negative.",
        )
        parser.add_argument("--formula", choices=["P", "N1", "N2", "N4"])
        parser.add_argument(
            "--allow-negative",
            action="store_true",
            help="Accept a negative actual (only for an indicator that allows negative values).",
        )
        parser.add_argument("--agency", help="Agency code, e.g. DKUKMTK-BLG.")
        parser.add_argument("--period", help="2025, 2025-S1 or 2025-Q3.")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--no-store", action="store_true", help="Compute without saving.")

    def handle(self, *args, **options):
        translation.activate("id")
        if options["agency"]:
            return self.agency(options)
        if options["target"] is None or options["actual"] is None:
            raise CommandError(_("Give --target and --actual, or --agency and --period."))
        if options["polarity"] is None:
            raise CommandError(
                _(
                    "Give --polarity positive (a higher actual is better) or negative (a lower "
                    "actual is better)."
                )
            )
        target, upper = _target(options["target"])
        actual = _number(options["actual"], "actual")
        if actual < 0 and not options["allow_negative"]:
            raise CommandError(
                _(
                    "--actual: the actual %(value)s is below zero; an actual is 0 or more unless "
                    "the indicator allows negative values (--allow-negative)."
                )
                % {"value": options["actual"].strip()}
            )
        try:
            result = formulas.achievement(
                target, actual, options["polarity"], options["formula"], upper=upper
            )
        except formulas.FormulaError as exc:
            raise CommandError(str(exc)) from None
        except DecimalException:
            raise CommandError(
                _("The achievement of these figures is too large to compute; check them.")
            ) from None
        band = formulas.PERMENDAGRI_86_2017.category(result.value)
        if options["json"]:
            data = result.as_dict() | {"category": band.code if band else None}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{result.formula}: {result.explanation}")
            if band:
                self.stdout.write(f"Kategori: {band.label} ({band.code})")

    def agency(self, options):
        from kinerja.performance.services import achievement, budget

        try:
            agency = Agency.objects.select_related("region").get(code=options["agency"])
        except Agency.DoesNotExist:
            raise CommandError(
                _("Unknown agency %(code)s.") % {"code": options["agency"]}
            ) from None
        try:
            period = Period.parse(options["period"] or "")
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        if options["no_store"]:
            results = achievement.compute(agency, period)
        else:
            results = achievement.store(agency, period)
        summary = achievement.summarize(agency, results)
        if options["json"]:
            data = achievement_to_dict(agency, period, results, summary)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        console = Console(file=cast(IO[str], self.stdout), width=140)  # a text stream
        table = Table(title=f"Capaian {agency.code} {period.label()}")
        for column in ("Kode", "Indikator", "Target", "Realisasi", "Capaian", "Kat.", "Rumus"):
            table.add_column(column)
        for r in results:
            table.add_row(
                r.indicator.code,
                r.indicator.name[:50],
                format_number_id(r.target.value) if r.target.value is not None else r.target.text,
                format_number_id(r.actual.value) if r.actual.value is not None else r.actual_text,
                format_number_id(r.result.value) if r.result.computed else r.result.status,
                r.category.code if r.category else "",
                r.result.formula,
            )
        console.print(table)
        console.print(f"Kategori: {summary.counts}; rata-rata: {summary.average_explanation}")
        found = budget.for_agency(agency, period.year, period.quarters[-1])
        absorption = found.total.absorption
        console.print(
            f"Anggaran {period.year}: pagu Rp {format_number_id(found.total.ceiling, 0)}, "
            f"realisasi s.d. triwulan {found.up_to_quarter} Rp "
            f"{format_number_id(found.total.spent, 0)}, serapan "
            f"{format_number_id(absorption, 2) + '%' if absorption is not None else '-'}"
        )
