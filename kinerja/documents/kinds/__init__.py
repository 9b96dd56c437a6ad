"""The registered document kinds. Importing this package registers them all."""

from kinerja.documents.kinds import (  # noqa: F401
    cover_letter,
    meeting,
    planning,
    reports,
    review_statement,
    sop,
)
