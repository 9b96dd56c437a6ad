"""The performance pages' Django forms, by page area.

:mod:`.fields` (Indonesian number fields and target fields shared by the pages), :mod:`.planning`
(indicators, goals and objectives), :mod:`.agreements` (PK versions), :mod:`.action_plans` (Rencana
Aksi) and :mod:`.budget` (budget amounts and lines).
"""
