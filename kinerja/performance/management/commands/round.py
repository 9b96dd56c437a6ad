from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.periods import Period, PeriodError
from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.models import CollectionRound
from kinerja.performance.services.collection import rounds


class Command(BaseCommand):
    help = "Collection rounds: open a round for a period, show a round's status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="Open the round of a period for an agency.")
        opening.add_argument("--agency", required=True)
        opening.add_argument("--period", required=True, help="2025, 2025-S1 or 2025-Q3")
        opening.add_argument("--fill-until", type=dt.date.fromisoformat)
        opening.add_argument("--review-until", type=dt.date.fromisoformat)
        add_as_argument(opening)
        show = sub.add_parser("status", help="Which units have submitted.")
        show.add_argument("round_id", type=int)
        add_as_argument(show)

    def handle(self, *args, **options):
        translation.activate("id")
        user = acting_user(options)
        if options["action"] == "status":
            if user is not None:  # the round page's rule: its planning officials
                found = resolve(user, access.get_round_for_planner, options["round_id"])
            else:
                try:
                    found = CollectionRound.objects.get(pk=options["round_id"])
                except CollectionRound.DoesNotExist:
                    raise CommandError(f"No round {options['round_id']}.") from None
            for row in rounds.status(found):
                version = f"v{row.latest.version}" if row.latest else ""
                self.stdout.write(f"{row.unit.code:20} {row.state:10} {version}")
            return
        try:
            if user is not None:  # the open-round page's rule: a planning official
                agency = resolve(user, access.get_agency_for_planner, options["agency"])
            else:
                agency = Agency.objects.get(code=options["agency"])
            period = Period.parse(options["period"])
            opened = rounds.open_round(
                agency,
                period,
                user,
                fill_until=options["fill_until"],
                review_until=options["review_until"],
            )
        except Agency.DoesNotExist:
            raise CommandError(f"Unknown agency {options['agency']}.") from None
        except (PeriodError, rounds.RoundError) as exc:
            raise CommandError(str(exc)) from None
        units = rounds.units_of(opened)
        self.stdout.write(
            f"Opened round {opened.pk}: {opened} for {len(units)} units, "
            f"{opened.indicators.count()} indicators; fill until {opened.fill_until}."
        )
