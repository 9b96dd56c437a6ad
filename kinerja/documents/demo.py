"""Demo: letter registers with the seeds' patterns and a self-signed certificate per head.

The PKCS#12 files go under the var directory; their passphrase is the demo password. Loading twice
changes nothing.
"""

from __future__ import annotations

from kinerja.documents import common
from kinerja.documents.models import SigningCredential
from kinerja.documents.services.letters import register_for
from kinerja.documents.signing import create_self_signed_credential
from kinerja.organisation.demo import DEMO_PASSWORD
from kinerja.organisation.models import Agency

DEMO_PASSPHRASE = DEMO_PASSWORD


def load(stdout=None) -> list:
    for agency in Agency.objects.all():
        register_for(agency)
        head = common.head_position(agency)
        if head is None:
            continue
        holding = common.holding_of(head, agency.today())
        if holding is None:
            continue
        credential = SigningCredential.objects.filter(employee=holding.employee).first()
        if credential is None or not _exists(credential.p12_path):
            create_self_signed_credential(holding.employee, DEMO_PASSPHRASE)
    return []


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).is_file()
