"""What the registry says of the checks a run collected, handed from a worker to its controller.

A controller of pytest-xdist workers collects nothing: it hears node ids. Reading a check's name
from a node id takes the registry (``test_filter[filter-status]`` is the check
``filter-status``, ``test_sort_order[name-asc]`` is ``sort-order[name-asc]``), and the registry
takes the checks and hypothesis imported: a quarter of a second of the controller's time while
the workers wait for their first tests, and again at the end, for the coverage of the auth
cases, while nothing else runs. A worker has the checks loaded anyway. Before it reports its
collection it writes the names it gave its tests and the auth cases to the run's shared folder
(every worker writes the same, each whole), with the ids of the tests that run several
examples. The controller plans from them, so that its plan is the workers' (a test outside the
suite is not planned, as in a worker), and falls back on the registry when there is no file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from campaign_contract._files import write_atomically
from campaign_contract.harness._coverage import auth_cases

INDEX_FILE = "checks.json"
"""The file in the run's shared folder."""


@dataclass(frozen=True)
class ChecksIndex:
    """Check names by node id, the ids of the checks that run several examples, and the auth
    cases by check (:func:`.auth_cases`)."""

    names: Mapping[str, str] = field(default_factory=dict)
    repeated: frozenset[str] = frozenset()
    auth_cases: Mapping[str, str] = field(default_factory=dict)


def write_index(state_dir: Path, names: Mapping[str, str], repeated: Iterable[str] = ()) -> None:
    """Write the names a worker gave the suite's tests (node id → check name), the ids of
    those that run several examples, and the auth cases. A folder that cannot be written
    leaves the controller to the registry."""
    data = {"names": dict(names), "repeated": sorted(repeated), "auth_cases": dict(auth_cases())}
    try:
        write_atomically(state_dir / INDEX_FILE, json.dumps(data))
    except OSError:
        pass


def read_index(state_dir: Path | None) -> ChecksIndex | None:
    """The index a worker wrote, or ``None`` when there is none whole and well-formed."""
    if state_dir is None:
        return None
    try:
        data = json.loads((state_dir / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    names, cases = _strings(data.get("names")), _strings(data.get("auth_cases"))
    repeated = data.get("repeated")
    if names is None or cases is None or not isinstance(repeated, list):
        return None
    if not all(isinstance(i, str) for i in repeated):
        return None
    return ChecksIndex(names, frozenset(repeated), cases)


def _strings(value: object) -> dict[str, str] | None:
    """``value`` when it is a mapping of strings to strings."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value


__all__ = ["INDEX_FILE", "ChecksIndex", "read_index", "write_index"]
