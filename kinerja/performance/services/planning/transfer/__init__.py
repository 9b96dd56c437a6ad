"""Renstra import and export as XLSX: goals, objectives, indicators, yearly targets and budget.

:mod:`.layout` names the sheets and their columns, :mod:`.exporting` writes a plan, and
:mod:`.importing` reads one: it reads every sheet first, collecting located issues; when there is
any, nothing is written. Rows are matched by code, so importing the export of a plan changes nothing.
"""
