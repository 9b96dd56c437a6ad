"""The reader of the demo's data files: a malformed file is refused naming the file and the key."""

from __future__ import annotations

import re

import pytest

from kinerja.core.demo_data import (
    NON_EMPTY,
    WHOLE,
    DemoDataError,
    list_of,
    read_demo_data,
    record,
    require_known,
)

SCHEMA = record({"people": list_of(record({"name": NON_EMPTY}, {"age": WHOLE}))})


def test_a_good_file_is_read(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text("people:\n- name: Ani\n  age: 30\n- name: Budi\n", encoding="utf-8")
    assert read_demo_data(path, SCHEMA) == {
        "people": [{"name": "Ani", "age": 30}, {"name": "Budi"}]
    }


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("people:\n- name: Ani\n  age: thirty\n", "people[0].age"),
        ("people:\n- name: Ani\n- nama: Budi\n", "people[1]"),
        ("persons: []\n", "(top)"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_key(tmp_path, text, where):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DemoDataError, match=re.escape(f"bad.yaml: {where}: ")):
        read_demo_data(path, SCHEMA)


def test_a_file_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("people: [unclosed\n", encoding="utf-8")
    with pytest.raises(DemoDataError, match=r"broken\.yaml: cannot be read"):
        read_demo_data(path, SCHEMA)


def test_an_unknown_reference_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "office.yaml"
    require_known(path, ("units", 0, "parent"), "SEKRET", {"SEKRET"}, "a unit of this file")
    with pytest.raises(DemoDataError, match=re.escape("office.yaml: units[0].parent: 'BID'")):
        require_known(path, ("units", 0, "parent"), "BID", {"SEKRET"}, "a unit of this file")
