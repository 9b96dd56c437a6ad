"""What ``kinerja region`` and ``kinerja agency`` share: options, errors, JSON output.

These commands are the server operator's (whoever has the shell is trusted, as with
``createsuperuser``); they call the same services as the regional administrator's pages, so they
refuse the same input with the same Indonesian message (docs/regions.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.organisation.models import Agency, Region

T = TypeVar("T")

# A service's field name, as the option that sets it.
OPTION_OF_FIELD = {
    "code": "--code",
    "name": "--name",
    "kind": "--kind",
    "parent": "--parent",
    "time_zone": "--tz",
    "government_name": "--government-name",
    "user": "--login",
    "username": "--login",
}


def add_output_arguments(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
    parser.add_argument(
        "--lang", default="id", choices=["id", "en"], help="Language of messages (default id)."
    )


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            OPTION_OF_FIELD.get(field, field): [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"": list(exc.messages)}


@contextmanager
def refusals(command: BaseCommand, as_json: bool) -> Iterator[None]:
    """A service's ValidationError (or ValueError) becomes the command's error: each message
    with the option it is about, printed as JSON too with ``--json``; nothing was written."""
    try:
        yield
    except (ValidationError, ValueError) as exc:
        errors = _messages(exc) if isinstance(exc, ValidationError) else {"": [str(exc)]}
        if as_json:
            command.stdout.write(
                json.dumps({"ok": False, "errors": errors}, ensure_ascii=False, indent=2)
            )
        lines = [f"{option}: {m}" if option else m for option, ms in errors.items() for m in ms]
        raise CommandError("\n".join(lines)) from None


def region_by_code(code: str, option: str = "--region") -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise CommandError(
            _("%(option)s: unknown region %(code)s.") % {"option": option, "code": code}
        ) from None


def agency_by_code(code: str, option: str = "--agency") -> Agency:
    try:
        return Agency.objects.select_related("region").get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(
            _("%(option)s: unknown agency %(code)s.") % {"option": option, "code": code}
        ) from None


def converted(option: str, convert: Callable[[str], T], value: str) -> T:
    """``convert(value)``, its ValueError as the option's error."""
    try:
        return convert(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from None


def write_result(command: BaseCommand, as_json: bool, data: dict[str, Any], text: str) -> None:
    if as_json:
        command.stdout.write(json.dumps({"ok": True, **data}, ensure_ascii=False, indent=2))
    else:
        command.stdout.write(text)


def add_new_official_arguments(parser: Any, with_agency: bool) -> None:
    """``--name`` (with ``--nip``, ``--email``): the login is new, for a new employee; an office
    that has no structure yet gets its first administrator this way."""
    parser.add_argument(
        "--name", help="Full name of a new employee whose login --login is made now (no password)."
    )
    if with_agency:
        parser.add_argument(
            "--agency", help="With --name: the new employee's agency (of the region)."
        )
    parser.add_argument("--nip", default="", help="With --name: the new employee's NIP.")
    parser.add_argument("--email", default="", help="With --name: the new employee's e-mail.")


@contextmanager
def administrator_login(
    command: BaseCommand, options: dict[str, Any], agency: Agency | None
) -> Iterator[Any]:
    """The login named by ``--login``; with ``--name``, a new employee of ``agency`` and their
    new login (unusable password) made in the same transaction as what the block does."""
    from kinerja.core.cli import user_named
    from kinerja.organisation.services import agencies as services

    if not options.get("name"):
        yield user_named(options["login"])
        return
    if agency is None:
        raise CommandError(_("--agency: give the new employee's agency with --name."))
    with refusals(command, options["json"]), transaction.atomic():
        employee = services.add_employee(
            agency, options["name"], nip=options["nip"], email=options["email"]
        )
        yield services.create_login(employee, options["login"])
