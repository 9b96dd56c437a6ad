"""Planning documents printed from the performance data for the e-review package (PDF only):
the Renstra, the IKU and the Rencana Aksi of a year. Each says it is a print of the data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.documents import report_data
from kinerja.documents.contract import DocumentKind, Images, register
from kinerja.performance.models import ActionPlan, Indicator, Objective, Target


class _PdfOnly(DocumentKind):
    formats = ("pdf",)
    docx_template = ""
    html_template = "documents/pdf/planning.html"
    sections = ("Isi",)

    def render_docx(self, data, images, template=None) -> bytes:
        raise NotImplementedError(f"{self.identifier} is printed as PDF only")

    def available(self) -> bool:
        """Whether the data behind the document exist (the package lists it missing if not)."""
        raise NotImplementedError


@register
class RenstraDocument(_PdfOnly):
    identifier = "renstra"
    title = _("Strategic plan (Renstra)")
    label_id = "Rencana Strategis"  # the document as printed (Indonesian)

    def available(self) -> bool:
        return report_data.plan_for(self.agency, self.year) is not None

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        plan = report_data.plan_for(self.agency, self.year)
        years = list(plan.years) if plan else []
        rows = []
        if plan is not None:
            targets: dict[tuple[int, int], str] = {}
            for t in Target.objects.filter(indicator__objective__plan=plan):
                decimals = 2
                targets[(t.indicator_id, t.year)] = t.text or report_data.num(t.value, decimals)
            for objective in Objective.objects.filter(plan=plan).order_by("order", "code"):
                for ind in objective.indicators.order_by("order", "code"):
                    rows.append(
                        {
                            "cells": [objective.statement, ind.name, ind.unit_of_measure]
                            + [targets.get((ind.pk, y), "-") for y in years]
                        }
                    )
        data.update(
            heading=f"RENCANA STRATEGIS {plan.start_year}–{plan.end_year}" if plan else "RENSTRA",
            columns=["Sasaran", "Indikator", "Satuan", *[str(y) for y in years]],
            rows=rows,
        )
        return data


@register
class KeyIndicatorsDocument(_PdfOnly):
    identifier = "iku"
    title = _("Key performance indicators (IKU)")
    label_id = "Indikator Kinerja Utama"  # the document as printed (Indonesian)

    def _indicators(self):
        return (
            Indicator.objects.for_agency(self.agency)
            .active_in(self.year)
            .key()
            .select_related("objective")
            .order_by("objective__order", "order", "code")
        )

    def available(self) -> bool:
        return self._indicators().exists()

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        data.update(
            heading=f"INDIKATOR KINERJA UTAMA TAHUN {self.year}",
            columns=["Sasaran", "Indikator Kinerja Utama", "Satuan", "Definisi", "Sumber data"],
            rows=[
                {
                    "cells": [
                        i.objective.statement,
                        i.name,
                        i.unit_of_measure,
                        i.definition,
                        i.data_source,
                    ]
                }
                for i in self._indicators()
            ],
        )
        return data


@register
class ActionPlanDocument(_PdfOnly):
    identifier = "rencana_aksi"
    title = _("Action plan (Rencana Aksi)")
    label_id = "Rencana Aksi"  # the document as printed (Indonesian)

    def _plan(self):
        return ActionPlan.objects.filter(agency=self.agency, year=self.year).first()

    def available(self) -> bool:
        return self._plan() is not None

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        plan = self._plan()
        grouped: dict[int, dict[str, Any]] = {}
        if plan is not None:
            for t in plan.targets.select_related("indicator").order_by(
                "indicator__order", "indicator__code", "quarter"
            ):
                row = grouped.setdefault(
                    t.indicator_id,
                    {
                        "name": t.indicator.name,
                        "unit": t.indicator.unit_of_measure,
                        "q": {},
                        "act": [],
                    },
                )
                row["q"][t.quarter] = t.text or report_data.num(t.value, t.indicator.decimals)
                if t.activities:
                    row["act"].append(f"TW{t.quarter}: {t.activities}")
        data.update(
            heading=f"RENCANA AKSI TAHUN {self.year}",
            columns=[
                "Indikator",
                "Satuan",
                "s.d. TW I",
                "s.d. TW II",
                "s.d. TW III",
                "s.d. TW IV",
                "Kegiatan",
            ],
            rows=[
                {
                    "cells": [
                        r["name"],
                        r["unit"],
                        *[r["q"].get(q, "-") for q in (1, 2, 3, 4)],
                        "; ".join(r["act"]),
                    ]
                }
                for r in grouped.values()
            ],
        )
        return data


@register
class AgreementPdf(_PdfOnly):
    """The PK for the package when no signed PK file was archived (same data as ``pk``)."""

    identifier = "pk_print"
    title = _("Performance agreement (print of the data)")
    label_id = "Perjanjian Kinerja"  # the document as printed (Indonesian)
    html_template = "documents/pdf/pk.html"

    def available(self) -> bool:
        from kinerja.performance.services.achievement import latest_agreement

        return latest_agreement(self.agency, self.year) is not None

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        info, rows, programs = report_data.agreement_rows(self.agency, self.year)
        data.update(pk=info, pk_rows=rows, pk_programs=programs)
        return data
