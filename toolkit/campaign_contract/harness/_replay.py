"""The examples a parametrized check's later items replay from its first.

A run forces one hypothesis seed on every test, and the items of one parametrized ``@given``
function share its strategies (the parameter is a fixture): each item draws the very same
examples, in the same order, as long as each example ends the same way (judged, or set
aside). So the first item of such a function records what it drew, and once it passed, each
later item is handed those examples straight, without hypothesis drawing them again; on the
embedded mock that drawing is most of what such an item costs, its answers coming from the
run's cache.

Replaying is exact or it does not happen: an example the item fails, one it sets aside that
the first item judged (or the other way round), or a draw the first item did not make sends
the item back to hypothesis, which runs it from its first example, as if nothing had been
replayed, and shrinks what fails.
"""

from __future__ import annotations

import contextvars
import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pytest

from campaign_contract.harness import _ledger as ledgers


@dataclass
class Example:
    """One example as the first item ran it: its drawn arguments, each ``st.data()`` draw
    (its strategy and value) and whether it was judged or set aside."""

    arguments: dict[str, Any]
    data_names: tuple[str, ...] = ()
    draws: list[tuple[Any, Any]] = field(default_factory=list)
    judged: bool = False


class SetAside(Exception):
    """An example set aside while replaying (hypothesis would have rejected it)."""


class Diverged(Exception):
    """The replayed item asked for a draw the first item did not make."""


_REPLAYING: contextvars.ContextVar[bool] = contextvars.ContextVar("replaying", default=False)


def replaying() -> bool:
    """True while a recorded example is being replayed."""
    return _REPLAYING.get()


class ReplayedData:
    """``st.data()`` for a replayed example: each draw gives the value the first item drew, as
    long as it asks for the same strategy."""

    def __init__(self, draws: list[tuple[Any, Any]]) -> None:
        self._draws = iter(draws)

    def draw(self, strategy: Any, label: Any = None) -> Any:
        recorded = next(self._draws, None)
        if recorded is None or recorded[0] is not strategy:
            raise Diverged("a draw the first item did not make")
        return copy.deepcopy(recorded[1])

    def __repr__(self) -> str:
        return "data(...)"


def replay(inner: Callable[..., Any], fixtures: Mapping[str, Any], examples: list[Example]) -> bool:
    """Run ``inner`` (the ``@given`` function's own test) on each recorded example; ``True``
    when every one ended as it did for the first item, judged or set aside. Otherwise the
    ledger is put back as it was before and ``False`` says hypothesis should run the item."""
    ledger = ledgers.current()
    saved = _snapshot(ledger)
    token = _REPLAYING.set(True)
    try:
        for example in examples:
            arguments = {name: copy.deepcopy(value) for name, value in example.arguments.items()}
            arguments.update({name: ReplayedData(example.draws) for name in example.data_names})
            try:
                inner(**fixtures, **arguments)
            except SetAside:
                if example.judged:
                    raise Diverged("an example the first item judged was set aside") from None
                continue
            if not example.judged:
                raise Diverged("an example the first item set aside was judged")
    except (Exception, pytest.fail.Exception):
        _restore(ledger, saved)
        return False
    finally:
        _REPLAYING.reset(token)
    return True


def _snapshot(ledger: ledgers.Ledger | None) -> dict[str, Any]:
    if ledger is None:
        return {}
    return {f.name: copy.deepcopy(getattr(ledger, f.name)) for f in fields(ledger)}


def _restore(ledger: ledgers.Ledger | None, saved: dict[str, Any]) -> None:
    if ledger is not None:
        for name, value in saved.items():
            setattr(ledger, name, value)


@dataclass
class Replays:
    """What one process replays: the ``@given`` functions with several items in the run
    (:meth:`share`), and the examples the first item of each recorded, once it passed."""

    shared: set[Any] = field(default_factory=set)
    recorded: dict[Any, list[Example]] = field(default_factory=dict)

    def share(self, functions: Iterable[Any]) -> None:
        """Note the functions of the run's items: those met more than once are shared."""
        seen: set[Any] = set()
        for function in functions:
            (self.shared if function in seen else seen).add(function)

    def start(self, function: Any, ledger: ledgers.Ledger) -> None:
        """Record the examples of ``function``'s item about to run, if it is the first of a
        shared function to run (or every one before it failed)."""
        if function in self.shared and function not in self.recorded:
            ledger.recording = []

    def passed(self, function: Any, ledger: ledgers.Ledger | None) -> None:
        """Keep what ``function``'s item recorded, now that it passed."""
        if ledger is not None and ledger.recording:
            self.recorded[function] = ledger.recording
        if ledger is not None:
            ledger.recording = None

    def examples(self, function: Any) -> list[Example] | None:
        """The examples a later item of ``function`` replays, if its first passed."""
        return self.recorded.get(function)
