"""Round reminders go by e-mail (Django's mail backend) to the unit's head and their Plt./Plh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kinerja.core.formats import format_date_id
from kinerja.core.models import AuditEntry
from kinerja.organisation.models import Position, PositionHolding
from kinerja.performance.models import Indicator, Reminder
from kinerja.performance.services.collection import rounds, submissions
from tests.officials import DKUKMTK

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads_of_kop(unit_kop, kabid, staf):
    """The definitive head of Bidang Koperasi (the kabid) and a Plt. (the staff member), each
    with an e-mail address: the kabid's on the login, the Plt.'s on the employee record."""
    kabid.email = "kabid.kop@contoh.go.id"
    kabid.save(update_fields=["email"])
    kabid.employee.email = ""
    kabid.employee.save(update_fields=["email"])
    staf.employee.email = "plt.kop@contoh.go.id"
    staf.employee.save(update_fields=["email"])
    head = Position.objects.get(unit=unit_kop, is_head=True)
    today = unit_kop.agency.today()
    PositionHolding.objects.create(
        position=head,
        employee=staf.employee,
        kind=PositionHolding.Kind.ACTING,
        start=today - dt.timedelta(days=3),
        end=today + dt.timedelta(days=30),
    )
    return ["kabid.kop@contoh.go.id", "plt.kop@contoh.go.id"]


def test_reminder_mails_unit_head_and_plt(q3_round, unit_kop, heads_of_kop, client_for):
    planner = client_for(DKUKMTK.kasubbag)
    response = planner.post(reverse("performance:round_remind", args=[q3_round.pk, "BID-KOP"]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == heads_of_kop
    link = settings.SITE_URL + reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "Triwulan III 2025" in message.subject and unit_kop.name in message.subject
        assert "Triwulan III 2025" in message.body
        assert format_date_id(q3_round.fill_until) in message.body
        assert link in message.body
    assert Reminder.objects.filter(round=q3_round, unit=unit_kop).count() == 1
    entry = AuditEntry.objects.get(action="performance.round.reminded")
    assert entry.after["to"] == heads_of_kop


def test_no_reminder_once_submitted_and_none_without_address(q3_round, unit_kop, heads_of_kop):
    iku1 = Indicator.objects.get(code="IKU-1", unit=unit_kop)
    submissions.submit(q3_round, unit_kop, [submissions.ValueInput(iku1.pk, 3, Decimal(70))])
    with pytest.raises(rounds.RoundError):
        rounds.remind(q3_round, unit_kop)
    assert mail.outbox == []
    # a unit whose head has no known address: recorded, nothing sent
    ukm = q3_round.agency.units.get(code="BID-UKM")
    for holding in PositionHolding.objects.filter(position__unit=ukm, position__is_head=True):
        holding.employee.email = ""
        holding.employee.save(update_fields=["email"])
        if holding.employee.user_id:
            holding.employee.user.email = ""
            holding.employee.user.save(update_fields=["email"])
    reminder = rounds.remind(q3_round, ukm)
    assert reminder.recipients == [] and mail.outbox == []
    assert Reminder.objects.filter(unit=ukm).exists()
