from kinerja.documents.models.archive import ArchiveEntry
from kinerja.documents.models.documents import (
    Approval,
    Document,
    DocumentTemplate,
    DocumentVersion,
    ReviewComment,
    SigningCredential,
)
from kinerja.documents.models.letters import LetterCounter, LetterNumber, LetterRegister

__all__ = [
    "Approval",
    "ArchiveEntry",
    "Document",
    "DocumentTemplate",
    "DocumentVersion",
    "LetterCounter",
    "LetterNumber",
    "LetterRegister",
    "ReviewComment",
    "SigningCredential",
]
