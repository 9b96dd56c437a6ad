"""The named officials of the tests (``tests/officials.py``) are the demo's logins."""

from __future__ import annotations

from kinerja.organisation import demo
from tests.officials import BALANGAN, DEMO_OFFICES, OFFICES, SETDA, SUPERUSER


def _logins(office: type) -> dict[str, str]:
    return {
        role: login
        for role, login in vars(office).items()
        if not role.startswith("_") and role != "code"
    }


def test_every_named_official_is_a_demo_login_of_that_office_and_every_login_is_named():
    seeds = {seed["agency"]["code"]: seed for seed in demo.offices_data()}
    assert [office.code for office in DEMO_OFFICES] == list(seeds)
    for office in DEMO_OFFICES:
        seed = seeds[office.code]
        people = {f"{seed['prefix']}.{person['username']}" for person in seed["people"]}
        assert set(_logins(office).values()) == people | {f"{seed['prefix']}.admin"}


def test_the_head_of_each_office_holds_its_head_position(offices, official):
    heads = {"DKUKMTK-BLG": "KADIS", "DINKES-BLG": "KADIS", "KTT_BLG": "CAMAT"}
    heads["ADPIM-KALBAR"] = "KARO"
    for office in OFFICES:
        holdings = official(office.kepala).employee.holdings.filter(
            position__agency__code=office.code
        )
        assert [h.position.code for h in holdings] == [heads[office.code]]
    assert official(SUPERUSER).is_superuser


def test_the_setda_and_the_regional_administrator_of_balangan(offices, official):
    holding = official(SETDA.kabag_org).employee.holdings.get()
    assert (holding.position.code, holding.position.is_head) == ("KABAG-ORG", True)
    assert holding.position.unit.name == "Bagian Organisasi"
    assert offices[SETDA.code].kind == "setda"
    assert offices[SETDA.code].region.code == BALANGAN.code
    admin = official(BALANGAN.admin)
    assert list(admin.region_roles.values_list("region__code", "role")) == [
        (BALANGAN.code, "admin")
    ]
    assert not hasattr(admin, "employee") and not admin.agency_roles.exists()
