from __future__ import annotations

from django.core.management.base import BaseCommand

from kinerja.cases.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the task reminders that are due (idempotent: run it every few minutes)."

    def handle(self, *args, **options):
        created, sent = send_reminders()
        self.stdout.write(f"{created} new reminders, {sent} e-mails sent")
