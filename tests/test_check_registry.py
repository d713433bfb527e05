"""One registry of checks: the names it stamps, the suite's rows, the README's table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from campaign_contract import PAIR_CHECKS, Violation, check_names, check_pair
from campaign_contract.checks import REGISTRY
from campaign_contract.generation._model import request_model
from campaign_contract.oracles._registry import Registry, stamp

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SUITE = ROOT / "contract_tests"
NAME = re.compile(r"`([a-z][a-z-]*)(\[[a-z-]+\])?`")


def readme_table() -> dict[str, set[str]]:
    """The check names of each family row of the README's "What it checks" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### What it checks", 1)[1]
    table = section[section.index("| family |") :].split("\n\n", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        _, family, checks, _ = line.split("|")
        rows[family.strip()] = {match[0] for match in NAME.findall(checks)}
    return rows


def test_the_readme_table_lists_every_registered_check_in_its_family_and_nothing_else() -> None:
    rows = readme_table()
    registered: dict[str, set[str]] = {}
    for check in REGISTRY.checks(builtin=True):
        registered.setdefault(check.family, set()).add(check.name)
    assert rows == registered


def test_the_readme_counts_the_suites_rows() -> None:
    text = README.read_text(encoding="utf-8")
    counts = re.findall(r"\((\d+) checks passed\)|of (\d+) checks failed", text)
    assert counts
    assert {int(a or b) for a, b in counts} == {len(REGISTRY.rows(builtin=True))}


def test_the_public_lists_of_names_come_from_the_registry() -> None:
    assert tuple(PAIR_CHECKS) == REGISTRY.names("pair") == check_names("pair")
    assert check_names("crawl") == REGISTRY.names("crawl")
    assert check_names("metamorphic") == REGISTRY.names("metamorphic")
    assert check_names() == (
        *check_names("pair"),
        *check_names("crawl"),
        *REGISTRY.names("metamorphic"),
    )
    model = request_model()
    cases = [f"{key}-{direction}" for key in model.sort_keys for direction in model.directions]
    assert REGISTRY["sort-order"].variants == tuple(cases)


def test_registering_stamps_the_name_on_what_the_function_yields_unless_it_names_one() -> None:
    registry = Registry()

    @registry.register("lonely", family="custom", kind="pair")
    def lonely(value: int) -> list[Violation]:
        return [Violation("/a", f"saw {value}"), Violation("/b", "borrowed", "other", "warning")]

    first, second = lonely(3)
    assert (first.check, first.message) == ("lonely", "saw 3")
    assert (second.check, second.severity) == ("other", "warning")
    assert registry.name_of(lonely) == "lonely" and registry["lonely"].rows == ("lonely",)
    with pytest.raises(ValueError, match="one word"):
        registry.declare("a[b]", family="custom")
    assert stamp("x", [Violation("", "m")])[0].check == "x"


def test_a_built_in_name_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="already registered"):
        REGISTRY.register("page-fill", family="custom", kind="pair", builtin=False)(lambda: [])


def test_every_pair_violation_carries_a_registered_name() -> None:
    request = {"type": "voice", "limit": 2, "skip": 0, "filters": {"status": ["Ready"]}}
    results = [{"id": "a", "status": "Paused", "connection": {}}] * 3
    response = {"data": {"results": results, "limit": 2, "skip": 0, "totalResults": 1}}
    found = check_pair(request, response)
    assert {v.check for v in found} >= {"filter-status", "page-size", "total-results"}
    assert all(v.check in PAIR_CHECKS for v in found)


class _Rows:
    """Collects the check name and family the plugin gives each suite test."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        from campaign_contract.pytest_plugin import _names

        for item in items:
            name, family, _ = _names(item)
            module = item.module.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
            self.rows.append((name, family, module))


def test_the_suites_rows_are_the_registrys_rows_each_in_its_family(
    pytester: pytest.Pytester,
) -> None:
    rows = _Rows()
    result = pytester.inline_run(
        "--collect-only", "-q", "-p", "no:cacheprovider", str(SUITE), plugins=[rows]
    )
    assert result.ret == 0
    assert sorted(name for name, _, _ in rows.rows) == sorted(REGISTRY.rows(builtin=True))
    for name, family, module in rows.rows:
        assert module == "test_" + family.replace("-", "_"), name
