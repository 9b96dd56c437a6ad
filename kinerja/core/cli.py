"""Commands that act as an official: the login named by ``--as`` and the pages' access rule.

A command run with ``--as USERNAME`` resolves every object through the same access helper as the
page that does the same work, so the official is refused where the page refuses them, with the
page's outcome turned into an Indonesian :class:`CommandError`: not found or not visible (the
page's 404), not allowed (its 403). Without ``--as`` a command runs as the server's operator (set-up,
imports, batch reports), recorded in the audit log without an actor.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.http import Http404
from django.utils.translation import gettext as _

T = TypeVar("T")


def add_as_argument(parser: ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--as",
        dest="username",
        required=required,
        help="the official's login: the command then applies that official's page rules",
    )


def user_named(username: str) -> Any:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No login named %(name)s.") % {"name": username}) from None


def acting_user(options: dict[str, Any]) -> Any:
    """The official named by ``--as``, or None when the command runs as the operator."""
    username = options.get("username")
    return user_named(username) if username else None


@contextmanager
def page_rule(user: Any) -> Iterator[None]:
    """Inside, a page's refusal (Http404, PermissionDenied) becomes the command's error."""
    try:
        yield
    except Http404:
        raise CommandError(
            _("Not found, or not visible to %(user)s.") % {"user": user.get_username()}
        ) from None
    except PermissionDenied as exc:
        raise CommandError(
            str(exc) or _("%(user)s may not do this.") % {"user": user.get_username()}
        ) from None


def resolve(user: Any, helper: Callable[..., T], *args: Any) -> T:
    """``helper(user, *args)``, the page's access helper, with the page's refusal as an error."""
    with page_rule(user):
        return helper(user, *args)
