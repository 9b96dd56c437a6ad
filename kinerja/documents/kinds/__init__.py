"""The registered document kinds. Importing this package registers them all."""

from kinerja.documents.kinds import cover_letter, meeting, planning, reports, sop  # noqa: F401
