"""The typed seams of the core (kinerja.core.hooks, kinerja.core.actions): named panel slots, one
provider per single-valued hook, one action per name, labels in the user's language."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from kinerja.cases.access import action_context
from kinerja.cases.access import open_task_count as count_open_tasks
from kinerja.core import actions, hooks
from kinerja.core.hooks import HookAlreadyRegistered, Slot


def test_a_second_different_provider_of_a_single_hook_is_refused():
    with pytest.raises(HookAlreadyRegistered):
        hooks.register_task_counter(lambda user: 0)
    with pytest.raises(HookAlreadyRegistered):
        hooks.register_letter_issuer(lambda agency_id, **kwargs: "1")
    with pytest.raises(HookAlreadyRegistered):
        actions.register_task_resolver(lambda task_id, user, name: action_context(0, user, name))


def test_a_second_different_action_under_a_known_name_is_refused():
    sign = actions.get("sign")
    with pytest.raises(ValueError, match="registered twice"):
        actions.register(actions.Action("sign", "Sign", lambda context: "/elsewhere/"))
    assert actions.get("sign") is sign


def test_registering_the_same_providers_again_is_harmless():
    """A second ``ready()`` (tests may cause one) registers the same functions: nothing changes."""

    def wiring():
        panels = {slot: list(renderers) for slot, renderers in hooks._panels.items()}
        return actions.names(), hooks.letter_issuer(), panels

    before = wiring()
    hooks.register_task_counter(count_open_tasks)
    for label in ("cases", "performance", "documents"):
        apps.get_app_config(label).ready()
    assert wiring() == before
    assert len(hooks._panels[Slot.HOME]) == 1 and len(hooks._panels[Slot.MEETING]) == 1


def test_slots_are_named_and_an_unknown_slot_is_refused(rf):
    assert Slot("agency_admin") is Slot.AGENCY_ADMIN
    assert hooks.render_panels("agency_admin", rf.get("/")) == ""  # no agency: no link
    with pytest.raises(ValueError):
        hooks.render_panels("agency-admin", rf.get("/"))


def test_action_labels_follow_the_language_of_the_request():
    collect = actions.get("collect")
    with translation.override("en"):
        assert str(collect.label) == "Collect the units' figures"
    with translation.override("id"):
        assert str(collect.label) != "Collect the units' figures"
    meeting = actions.get("meeting")  # registered by the cases layer, which schedules meetings
    with translation.override("id"):
        assert str(meeting.label) == "Jadwalkan rapat"
