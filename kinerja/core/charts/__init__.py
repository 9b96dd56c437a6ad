"""Every chart of the product, drawn on the server without a plotting library.

Two kinds of output, from plain data and the agency's own category scale passed in (this package
imports no layer: ``docs/architecture.md``):

* Report charts (:func:`~kinerja.core.charts.achievement.indicator_panels`,
  :func:`~kinerja.core.charts.achievement.trend`,
  :func:`~kinerja.core.charts.achievement.by_category`,
  :func:`~kinerja.core.charts.organisation.org_chart`) are laid out once as a list of shapes on a
  :class:`~kinerja.core.charts.base.Canvas` (units of 1/100 inch) and then written out in the form
  their document needs: SVG for the PDF (vector, sharp at any print size, and WeasyPrint draws it
  itself) and PNG at 200 dpi for the DOCX (Word needs a raster image). Both come from the same
  shapes, so the DOCX and the PDF show the same chart. Text is measured with the same DejaVu Sans
  the PDF uses, so labels are placed identically in both. Drawing the shapes directly is about
  twenty times faster than matplotlib for these simple charts, which made up most of the time of a
  report with thirty indicators (bench/documents_lkjip.py).
* Page charts (:func:`~kinerja.core.charts.achievement.achievement_bars`,
  :func:`~kinerja.core.charts.workflow.sla_chart`, :func:`~kinerja.core.charts.workflow.gantt`)
  are inline SVG for the HTML pages (no JavaScript).

A category colour always comes from the agency's scale
(:func:`~kinerja.core.charts.base.band_colours`): green for its highest band, red for its lowest,
whatever its thresholds and number of bands (docs/domain.md §6).

The modules: ``base`` (canvas, SVG/PNG output, colours, text, axes, the scale's colours), then
``achievement``, ``organisation`` and ``workflow``, which import only ``base``.
"""
