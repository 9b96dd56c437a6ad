"""The review window: the planning official accepts a unit's submission or returns it with a
reason; a returned unit submits again until the review window closes; every act is audited and a
submitted version never changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.models import AuditEntry
from kinerja.performance.models import Indicator, Submission
from kinerja.performance.services.collection import rounds, submissions
from tests.officials import DINKES, DKUKMTK

pytestmark = pytest.mark.django_db


def _figures(unit, value: str) -> list[submissions.ValueInput]:
    iku1 = Indicator.objects.get(code="IKU-1", unit=unit)
    return [submissions.ValueInput(iku1.pk, 3, Decimal(value), status="tetap")]


def _close_fill_window(collection_round) -> None:
    collection_round.fill_until = collection_round.agency.today() - dt.timedelta(days=1)
    collection_round.save(update_fields=["fill_until"])


def _state(client, collection_round, unit_code: str) -> str:
    page = client.get(reverse("performance:round", args=[collection_round.pk])).content.decode()
    marker = f'data-testid="unit-state-{unit_code}" data-state="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_return_with_reason_then_resubmit_after_fill_window_then_accept(
    q3_round, unit_kop, kabid, client_for
):
    first = submissions.submit(q3_round, unit_kop, _figures(unit_kop, "70"), kabid)
    _close_fill_window(q3_round)
    planner = client_for(DKUKMTK.kasubbag)
    assert _state(planner, q3_round, "BID-KOP") == "submitted"
    review_url = reverse("performance:round_review", args=[q3_round.pk, "BID-KOP"])
    reason = "Angka TW III tidak sesuai laporan RAT"
    response = planner.post(review_url, {"decision": "return", "version": 1, "reason": reason})
    assert response.status_code == 302
    assert _state(planner, q3_round, "BID-KOP") == "returned"
    entry = AuditEntry.objects.get(action="performance.submission.returned")
    assert entry.after["reason"] == reason and entry.actor.username == DKUKMTK.kasubbag

    # the unit head reads the reason on the form page and may submit again, the fill window closed
    unit_head = client_for(DKUKMTK.kabid_kop)
    form_url = reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"])
    page = unit_head.get(form_url).content.decode()
    assert 'data-testid="return-reason"' in page and reason in page
    assert 'data-testid="submit-figures"' in page
    rows = {ri.code: ri for ri in q3_round.indicators.filter(unit=unit_kop)}
    data = {
        f"v-{rows['IKU-1'].pk}-3": "72,5",
        f"s-{rows['IKU-1'].pk}": "tetap",
        f"s-{rows['K-1'].pk}": "sementara",
    }
    assert unit_head.post(form_url, data).status_code == 302
    second = Submission.objects.get(round=q3_round, unit=unit_kop, version=2)
    assert second.values["values"][0]["value"] == "72.5"
    first.refresh_from_db()
    assert first.values["values"][0]["value"] == "70" and first.review.decision == "returned"
    assert _state(planner, q3_round, "BID-KOP") == "submitted"

    # accepting names the version the official saw; an older one is refused
    assert planner.post(review_url, {"decision": "accept", "version": 1}).status_code == 302
    assert _state(planner, q3_round, "BID-KOP") == "submitted"
    planner.post(review_url, {"decision": "accept", "version": 2})
    assert _state(planner, q3_round, "BID-KOP") == "accepted"
    assert AuditEntry.objects.filter(
        action="performance.submission.accepted", object_id=str(second.pk)
    ).exists()
    # accepted: after the fill window the unit cannot submit again
    with pytest.raises(submissions.SubmissionRejected):
        submissions.submit(q3_round, unit_kop, _figures(unit_kop, "75"), kabid)
    with pytest.raises(rounds.RoundError):
        rounds.return_submission(q3_round, unit_kop, 2, "Salah", None)


def test_unit_head_cannot_review(q3_round, unit_kop, kabid, client_for):
    submissions.submit(q3_round, unit_kop, _figures(unit_kop, "70"), kabid)
    url = reverse("performance:round_review", args=[q3_round.pk, "BID-KOP"])
    unit_head = client_for(DKUKMTK.kabid_kop)
    assert unit_head.post(url, {"decision": "accept", "version": 1}).status_code == 403
    assert client_for(DINKES.kepala).post(
        url, {"decision": "accept", "version": 1}
    ).status_code == (404)
    assert not AuditEntry.objects.filter(action__startswith="performance.submission.").exists()


def test_no_review_outside_the_window_unless_reopened(q3_round, unit_kop, kabid, kasubbag):
    submissions.submit(q3_round, unit_kop, _figures(unit_kop, "70"), kabid)
    today = q3_round.agency.today()
    q3_round.fill_until = today - dt.timedelta(days=5)
    q3_round.review_until = today - dt.timedelta(days=1)
    q3_round.save()
    with pytest.raises(rounds.RoundError, match="Masa penelaahan"):
        rounds.accept(q3_round, unit_kop, 1, kasubbag)
    with pytest.raises(rounds.RoundError):
        rounds.return_submission(q3_round, unit_kop, 1, "Terlambat", kasubbag)
    assert not AuditEntry.objects.filter(action__startswith="performance.submission.").exists()
    rounds.reopen(q3_round, today + dt.timedelta(days=2), "Verifikasi ulang", kasubbag)
    q3_round.refresh_from_db()
    assert rounds.accept(q3_round, unit_kop, 1, kasubbag).decision == "accepted"


def test_return_needs_a_reason_and_a_submission(q3_round, unit_kop, unit_ukm, kasubbag):
    with pytest.raises(rounds.RoundError):
        rounds.accept(q3_round, unit_ukm, 1, kasubbag)
    submissions.submit(q3_round, unit_kop, _figures(unit_kop, "70"))
    with pytest.raises(rounds.RoundError):
        rounds.return_submission(q3_round, unit_kop, 1, "  ", kasubbag)
    review = rounds.return_submission(q3_round, unit_kop, 1, "Lengkapi bukti", kasubbag)
    with pytest.raises(rounds.RoundError, match="sudah diputuskan"):
        rounds.accept(q3_round, unit_kop, 1, kasubbag)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        review.save()


def test_returned_unit_may_not_submit_after_the_review_window(q3_round, unit_kop, kasubbag):
    submissions.submit(q3_round, unit_kop, _figures(unit_kop, "70"))
    _close_fill_window(q3_round)
    rounds.return_submission(q3_round, unit_kop, 1, "Perbaiki", kasubbag)
    assert rounds.can_submit(q3_round, unit_kop)
    q3_round.review_until = q3_round.agency.today() - dt.timedelta(days=1)
    q3_round.fill_until = q3_round.review_until
    q3_round.save()
    assert not rounds.can_submit(q3_round, unit_kop)
    with pytest.raises(submissions.SubmissionRejected):
        submissions.submit(q3_round, unit_kop, _figures(unit_kop, "71"))


@pytest.fixture
def unit_ukm(dkukmtk):
    from kinerja.organisation.models import Unit

    return Unit.objects.get(agency=dkukmtk, code="BID-UKM")
