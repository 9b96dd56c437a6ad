from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kinerja.api.models import ApiToken
from kinerja.cases.management.commands._common import user_named
from kinerja.core import audit


class Command(BaseCommand):
    help = "Personal API tokens: kinerja token create|list|revoke ..."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token; it is printed once, keep it safe")
        create.add_argument("--user", required=True, help="the login the token acts as")
        create.add_argument("--name", required=True, help="what it is for, e.g. e-Monev sync")
        listing = sub.add_parser("list", help="tokens (prefix, name, user, last use)")
        listing.add_argument("--user")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            user = user_named(options["user"])
            token, raw = ApiToken.issue(user, options["name"])
            audit.record("api.token.create", obj=token, summary=f"{token} for {user}")
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user")
            if options["user"]:
                tokens = tokens.filter(user=user_named(options["user"]))
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                self.stdout.write(f"{t.prefix}  {t.user.username:<24} {state:<18} {used}  {t.name}")
        else:
            token = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError(f"no token with prefix {options['prefix']!r}")
            token.revoke()
            audit.record("api.token.revoke", obj=token, summary=str(token))
            self.stdout.write(f"revoked {token}")
