from kinerja.documents.views.documents import (
    action_start,
    agency_documents,
    compare,
    document_detail,
    download,
    meeting_document,
    verify,
    version_post,
)
from kinerja.documents.views.numbering import numbering
from kinerja.documents.views.registry import archive, letters, package
from kinerja.documents.views.templates import template_download, word_templates

__all__ = [
    "action_start",
    "agency_documents",
    "archive",
    "compare",
    "document_detail",
    "download",
    "letters",
    "meeting_document",
    "numbering",
    "package",
    "template_download",
    "verify",
    "version_post",
    "word_templates",
]
