"""text_items: the items of a list typed one per line (functions, strategic issues)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.lists import text_items


def test_numbering_bullets_and_the_regulations_semicolons_are_dropped():
    text = "a. perumusan kebijakan;\n\n2) pelaksanaan kebijakan; dan\n- evaluasi\n(d) lainnya."
    assert text_items(text) == [
        "perumusan kebijakan",
        "pelaksanaan kebijakan",
        "evaluasi",
        "lainnya",
    ]
    assert text_items("") == [] and text_items(" \n \n") == []


ITEM = st.from_regex(r"[A-Z][a-z]{2,9}( [a-z]{1,9}){0,5}", fullmatch=True)
MARKER = st.sampled_from(["", "a. ", "1. ", "12) ", "(c) ", "- ", "• ", "* "])
END = st.sampled_from(["", ";", "; dan", "; atau", "."])


@given(st.lists(st.tuples(MARKER, ITEM, END), max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_an_item_comes_back_as_typed_whatever_its_marker_and_ending(rows, newline):
    text = newline.join(f"{marker}{item}{end}" for marker, item, end in rows)
    assert text_items(text) == [item for _marker, item, _end in rows]


@given(st.text())
def test_items_are_single_trimmed_lines(text):
    items = text_items(text)
    assert len(items) <= len(text.splitlines())
    assert all(item and item == item.strip() and "\n" not in item for item in items)
