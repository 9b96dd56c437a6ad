"""Planning: the Renstra and what follows from it, edited in pages or moved as XLSX.

:mod:`.plans` (indicators, their yearly targets and lookup tables), :mod:`.structure` (goals and
objectives), :mod:`.agreements` (the PK versions: save, amend, sign, compare),
:mod:`.action_plans` (the Rencana Aksi and its quarter target warnings) and :mod:`.transfer` (the
plan as XLSX). The steps every edit shares (audit values, history user, target rows) are in
:mod:`kinerja.performance.services.editing`.
"""
