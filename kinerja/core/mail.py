"""Notices by e-mail: who to write to and how a notice is sent (through Django's mail backend:
the console in the demo, SMTP in production, ``locmem`` in tests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail


def address_of(user: Any) -> str:
    """The user's e-mail address, else their employee record's; "" when neither is known."""
    if user is None:
        return ""
    return user.email or getattr(getattr(user, "employee", None), "email", "") or ""


def send_notice(subject: str, lines: Iterable[str], addresses: Iterable[str]) -> int:
    """Send a plain-text notice (one line per item) to each address; the number sent."""
    recipients = sorted({a for a in addresses if a})
    if not recipients:
        return 0
    body = "\n".join(lines)
    for address in recipients:  # one message each: recipients do not see one another
        send_mail(subject[:200], body, None, [address])
    return len(recipients)
