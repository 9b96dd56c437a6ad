"""Who may see and change performance data. Views call these; they never filter by hand.

* Planning officials of an agency (its head, the holders of positions in its planning unit and the
  units above it, e.g. the Sekretaris, and its administrators) see everything of the agency and run
  collection rounds.
* A unit head sees and submits only their own unit's form (and those of units under it).
* Everyone else who works for the agency may read its plans and achievements.
* Anybody else gets 404: the existence of another office's data is private.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinerja.organisation.access import agency_ids_of, can_administer, holdings_of
from kinerja.organisation.models import Agency, Unit
from kinerja.performance.models import CollectionRound, PerformanceSettings


def _planning_unit_ids(agency: Agency) -> set[int]:
    settings = PerformanceSettings.objects.filter(agency=agency).select_related("planning_unit")
    found = settings.first()
    ids: set[int] = set()
    unit = found.planning_unit if found else None
    while unit is not None:
        ids.add(unit.pk)
        unit = unit.parent
    return ids


def is_planner(user, agency: Agency) -> bool:
    if getattr(user, "is_superuser", False) or can_administer(user, agency):
        return True
    planning = _planning_unit_ids(agency)
    for holding in holdings_of(user).filter(position__agency=agency):
        position = holding.position
        if position.unit_id is None or position.unit_id in planning:
            return True
    return False


def headed_unit_ids(user, agency: Agency) -> set[int]:
    """Units the user heads in ``agency`` (Plt. and Plh. included) and the units under them."""
    heads = {
        h.position.unit_id
        for h in holdings_of(user).filter(position__agency=agency, position__is_head=True)
        if h.position.unit_id
    }
    found = set(heads)
    frontier = set(heads)
    while frontier:
        frontier = (
            set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def get_agency_for_reader(user, code: str) -> Agency:
    try:
        agency = Agency.objects.select_related("region").get(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None
    if not (getattr(user, "is_superuser", False) or agency.pk in agency_ids_of(user)):
        raise Http404
    return agency


def get_agency_by_id(user, agency_id: int) -> Agency:
    """The agency with that id if the user may read its performance data; 404 otherwise."""
    try:
        agency = Agency.objects.select_related("region").get(pk=int(agency_id))
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not (getattr(user, "is_superuser", False) or agency.pk in agency_ids_of(user)):
        raise Http404
    return agency


def get_agency_for_planner(user, code: str) -> Agency:
    agency = get_agency_for_reader(user, code)
    if not is_planner(user, agency):
        raise PermissionDenied
    return agency


def get_round_for_user(user, pk: int) -> CollectionRound:
    try:
        found = CollectionRound.objects.select_related("agency", "agency__region").get(pk=pk)
    except CollectionRound.DoesNotExist:
        raise Http404 from None
    get_agency_for_reader(user, found.agency.code)
    return found


def get_round_for_planner(user, pk: int) -> CollectionRound:
    found = get_round_for_user(user, pk)
    if not is_planner(user, found.agency):
        raise PermissionDenied
    return found


def form_units_for(user, collection_round: CollectionRound) -> list[Unit]:
    """The units of the round whose form the user may see and submit."""
    from kinerja.performance.services.collection.rounds import units_of

    units = units_of(collection_round)
    if is_planner(user, collection_round.agency):
        return units
    allowed = headed_unit_ids(user, collection_round.agency)
    return [u for u in units if u.pk in allowed]


def get_unit_form(user, pk: int, unit_code: str) -> tuple[CollectionRound, Unit]:
    """The round and unit if the user may fill that unit's form; 404 otherwise."""
    found = get_round_for_user(user, pk)
    for unit in form_units_for(user, found):
        if unit.code == unit_code:
            return found, unit
    raise Http404
