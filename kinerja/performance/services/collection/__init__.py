"""Data collection: rounds, the units' workbooks and their submissions.

The work is split along its seams: :mod:`.rounds` (open a round and freeze its indicators, the fill
and review windows, reminders, status), :mod:`.workbooks` (generate the XLSX data-collection
workbook a unit fills), :mod:`.workbook_import` (read a filled one back, unpack an archive with
evidence, import it), :mod:`.workbook_values` (the cell values of an uploaded workbook, read
without formulas) and :mod:`.submissions` (check a unit's figures and store them as a new immutable
version with the actuals' history). Every state change is audited.
"""
