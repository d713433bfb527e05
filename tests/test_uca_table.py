"""The faster reading of pyuca's table orders every name exactly as pyuca does."""

from __future__ import annotations

import functools

import pytest
import pyuca
from campaign_contract.oracles._uca_table import Collator, Table
from hypothesis import given, settings
from hypothesis import strategies as st


@functools.cache
def both() -> tuple[pyuca.Collator, Collator]:
    return pyuca.Collator(), Collator()


def test_every_entry_of_the_file_has_pyucas_sort_key() -> None:
    theirs, ours = both()
    entries = [
        "".join(chr(int(point, 16)) for point in written.split()) for written in ours.table._written
    ]
    assert len(entries) > 20_000
    differing = [text for text in entries if ours.sort_key(text) != theirs.sort_key(text)]
    assert differing == []
    assert ours.implicit_weights == theirs.implicit_weights


ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("aAlL\u00b7\u0301\u0308\u030a\u0327\u0e40\u0e01\u1100\u1161\u4e00\U00017000"),
)


@settings(max_examples=300)
@given(st.text(ALPHABET, max_size=12))
def test_generated_text_has_pyucas_sort_key(text: str) -> None:
    theirs, ours = both()
    assert ours.sort_key(text) == theirs.sort_key(text)


@pytest.mark.parametrize(
    "text",
    ["l\u00b7", "L\u00b7l", "a\u0308\u0301", "\u0e40\u0e01", "\u1100\u1161", "\U00017000", ""],
)
def test_contractions_non_starters_and_implicit_weights_match(text: str) -> None:
    theirs, ours = both()
    assert ours.sort_key(text) == theirs.sort_key(text)


def test_a_later_entry_of_the_same_code_points_replaces_an_earlier() -> None:
    table = Table(
        "0061 ; [.0001.0020.0002]\n0061 0062 ; [.0005.0020.0002]\n0061 ; [.0009.0020.0002]\n"
    )
    assert table.find_prefix([0x61, 0x63]) == ([0x61], [[9, 0x20, 2]], [0x63])
    assert table.find_prefix([0x61, 0x62, 0x63]) == ([0x61, 0x62], [[5, 0x20, 2]], [0x63])
    assert table.find_prefix([0x62]) == ([], None, [0x62])
    assert len(table) == 2


def test_a_prefix_without_an_entry_is_walked_through_but_not_matched() -> None:
    table = Table("0061 0062 0063 ; [.0005.0020.0002]\n")
    assert table.find_prefix([0x61, 0x62]) == ([], None, [0x61, 0x62])
    assert table.find_prefix([0x61, 0x62, 0x63, 0x64]) == (
        [0x61, 0x62, 0x63],
        [[5, 0x20, 2]],
        [0x64],
    )
