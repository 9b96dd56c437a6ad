from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.api.models import ApiToken
from kinerja.cases.management.commands._common import user_named
from kinerja.core import audit
from kinerja.core.formats import format_datetime_zone


class Command(BaseCommand):
    help = "Personal API tokens: kinerja token create|list|revoke ..."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token; it is printed once, keep it safe")
        create.add_argument("--user", required=True, help="the login the token acts as")
        create.add_argument("--name", required=True, help="what it is for, e.g. e-Monev sync")
        listing = sub.add_parser("list", help="tokens (prefix, name, user, last use)")
        listing.add_argument("--user")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["user"], options["name"])
        elif action == "list":
            self._list(options["user"])
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str) -> None:
        user = user_named(username)
        token, raw = ApiToken.issue(user, name)
        audit.record("api.token.create", obj=token, summary=f"{token} for {user}")
        self.stdout.write(raw)

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user=user_named(username))
        zone = settings.TIME_ZONE  # a token is a login's, not an agency's: the server's zone
        for t in tokens:
            state = (
                f"revoked {format_datetime_zone(t.revoked_at, zone)}" if t.revoked_at else "active"
            )
            used = format_datetime_zone(t.last_used_at, zone) if t.last_used_at else "never used"
            self.stdout.write(f"{t.prefix}  {t.user.username:<24} {state:<28} {used}  {t.name}")

    def _revoke(self, prefix: str) -> None:
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"no token with prefix {prefix!r}")
        token.revoke()
        audit.record("api.token.revoke", obj=token, summary=str(token))
        self.stdout.write(f"revoked {token}")
