"""Hypothesis for the contract suite: the run's settings and a count of examples per check."""

from __future__ import annotations

import copy
import functools
import inspect
import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import UnsatisfiedAssumption
from hypothesis.strategies import DataObject

from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._replay import Example, ReplayedData, replay

_DATA = (DataObject, ReplayedData)
"""What a test's ``st.data()`` argument is: hypothesis's, or one replaying recorded draws."""

PHASES = (Phase.explicit, Phase.generate, Phase.target, Phase.shrink)
"""No ``reuse`` (no example database) and no ``explain`` (extra requests for a hint)."""
REMOTE_PHASES = (Phase.explicit, Phase.generate, Phase.target)
"""Against a remote server also no ``shrink``: each shrinking step costs paced requests."""


def suite_settings(max_examples: int, *, shrink: bool = True) -> settings:
    """Settings for a check that talks to a server: no deadline, no database, few examples;
    without ``shrink`` a failing example is reported as found."""
    return settings(
        max_examples=max(1, max_examples),
        deadline=None,
        database=None,
        phases=PHASES if shrink else REMOTE_PHASES,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        report_multiple_bugs=False,
    )


def is_hypothesis_test(function: Any) -> bool:
    return bool(getattr(function, "is_hypothesis_test", False))


def prepare(
    function: Any, max_examples: int, fixtures: Collection[str], *, shrink: bool = True
) -> None:
    """Give a ``@given`` test the suite's settings (unless it has its own) and count its
    examples in the running check's ledger. Safe to call more than once."""
    if not is_hypothesis_test(function):
        return
    if not hasattr(function, "_hypothesis_internal_settings_applied"):
        suite_settings(max_examples, shrink=shrink)(function)
    inner = function.hypothesis.inner_test
    if getattr(inner, "_campaign_counted", False):
        return
    explicit = len(
        getattr(inner, "hypothesis_explicit_examples", None)
        or getattr(function, "hypothesis_explicit_examples", None)
        or ()
    )
    function.hypothesis.inner_test = _counting(inner, frozenset(fixtures), explicit)


def _counting(
    inner: Callable[..., Any], fixtures: frozenset[str], explicit: int = 0
) -> Callable[..., Any]:
    """``inner`` counting its examples in the ledger; ``explicit`` of them are ``@example``s
    (they run first, and a check's share never stops its first generated example)."""

    @functools.wraps(inner)
    def counted(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        ledger = ledgers.current()
        example = None
        if ledger is not None:
            ledger.explicit = explicit
            ledger.examples += 1
            drawn = {k: v for k, v in kwargs.items() if k not in fixtures}
            data_names = tuple(k for k, v in drawn.items() if isinstance(v, _DATA))
            ledger.example = describe_example(drawn)
            ledger.inputs = [
                f"{name} = {value_text(value)}"
                for name, value in drawn.items()
                if name not in data_names
            ]
            if ledger.recording is not None:
                arguments = {k: copy.deepcopy(v) for k, v in drawn.items() if k not in data_names}
                example = Example(arguments, data_names)
            kwargs = {
                k: _RecordingData(v, ledger, example) if k in data_names else v
                for k, v in kwargs.items()
            }
        try:
            result = inner(*args, **kwargs)
        except UnsatisfiedAssumption:
            if example is not None and ledger is not None and ledger.recording is not None:
                ledger.recording.append(example)  # set aside: a replay must set it aside too
            raise
        if ledger is not None:
            ledger.finished += 1
            if example is not None and ledger.recording is not None:
                example.judged = True
                ledger.recording.append(example)
        return result

    counted._campaign_counted = True  # type: ignore[attr-defined]
    return counted


class _RecordingData:
    """``st.data()`` as the test sees it: every value drawn is also noted in the ledger's
    inputs, so a failure shows what was drawn instead of ``data=data(...)``, and, while the
    check's examples are recorded, kept with the strategy it came from."""

    def __init__(
        self, data: DataObject | ReplayedData, ledger: ledgers.Ledger, example: Example | None
    ) -> None:
        self._data = data
        self._ledger = ledger
        self._example = example

    def draw(self, strategy: Any, label: Any = None) -> Any:
        value = self._data.draw(strategy, label)
        number = sum(1 for i in self._ledger.inputs if i.startswith("draw ")) + 1
        name = f"draw {number}" + (f" ({label})" if label else "")
        self._ledger.inputs.append(f"{name} = {value_text(value)}")
        if self._example is not None:
            self._example.draws.append((strategy, copy.deepcopy(value)))
        return value

    def __repr__(self) -> str:
        return repr(self._data)


def replay_item(function: Any, funcargs: Mapping[str, Any], examples: list[Example]) -> bool:
    """Replay ``examples`` on the ``@given`` test ``function`` with the item's fixtures
    (:func:`._replay.replay`), when the run forced one seed on every test (else the items
    would not have drawn the same examples); ``True`` when it did so in full."""
    from campaign_contract.harness._summary import hypothesis_forced_seed

    if hypothesis_forced_seed() is None:
        return False
    fixtures = {name: funcargs[name] for name in inspect.signature(function).parameters}
    return replay(function.hypothesis.inner_test, fixtures, examples)


def value_text(value: Any) -> str:
    """A drawn value as compact JSON, else its ``repr``."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def describe_example(arguments: dict[str, Any]) -> str | None:
    """The generated arguments of one example as short text; ``st.data()`` arguments are
    left out (their draws are the example's inputs)."""
    parts = [
        f"{name}={value_text(value)}"
        for name, value in arguments.items()
        if not isinstance(value, _DATA)
    ]
    return ", ".join(parts) or None
