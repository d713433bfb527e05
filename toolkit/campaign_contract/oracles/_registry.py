"""The registry of checks: every check name is written once, where its check is registered.

A check function yields :class:`Violation` objects without naming itself; the registration
decorator stamps the check's name on each one that has none, as jsonschema's ``iter_errors``
sets the keyword on the errors its keyword functions yield (``jsonschema/_keywords.py`` with
``validators.py``). A violation that already carries a name keeps it, so a check built from
other checks reports theirs.

Every list of names is read from here: the pair checks :func:`check_pair` runs, the crawl and
metamorphic names, the rows of the contract suite (:meth:`Registry.rows`) and their count,
and the README's "What it checks" table (a test compares them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, ParamSpec, TypeVar

from campaign_contract.validation._violations import Violation

Kind = Literal["pair", "crawl", "metamorphic", "suite"]
"""How a check is run: ``pair`` on one request/response pair (by ``check_pair``); ``crawl``
over the pages of a walk or two listings; ``metamorphic`` over the answers to related
requests; ``suite`` a test of the contract suite that judges exchanges itself."""
Family = Literal[
    "conformance", "pagination", "filters", "sorting", "request-handling", "auth", "custom"
]
"""The suite family that reports a check (the ``family`` of its report row)."""
KINDS: tuple[Kind, ...] = ("pair", "crawl", "metamorphic", "suite")

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    """One registered check.

    ``part_of`` names the suite check that reports this one (the crawl invariants are judged
    and reported by ``crawl``); such a check is not a row of its own. ``variants`` makes one
    row per variant, ``name[variant]`` (``sort-order[name-asc]``). ``observation`` marks a
    check that records what the server did where the page leaves it open. ``builtin`` is
    false for checks a user registered (:func:`campaign_contract.check`).
    """

    name: str
    family: Family
    kind: Kind
    function: Callable[..., Any] | None = None
    part_of: str | None = None
    variants: tuple[str, ...] = ()
    observation: bool = False
    builtin: bool = True

    @property
    def rows(self) -> tuple[str, ...]:
        """The report rows of this check: its name, one per variant, or none for a part."""
        if self.part_of is not None:
            return ()
        if self.variants:
            return tuple(f"{self.name}[{variant}]" for variant in self.variants)
        return (self.name,)


def _origin(check: Check) -> tuple[Any, ...]:
    """What tells two registrations apart; a module imported again registers the same."""
    function = check.function
    where = (getattr(function, "__module__", None), getattr(function, "__qualname__", None))
    return (check.name, check.family, check.kind, check.part_of, check.builtin, where)


def stamp(name: str, violations: Iterable[Violation]) -> list[Violation]:
    """``violations`` with ``name`` set on every one that names no check."""
    return [v if v.check else replace(v, check=name) for v in violations]


class Registry:
    """The checks, in registration order (which is report order)."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}
        self.version = 0
        """Counts the changes to the registry, so that views of it know when to refresh."""

    def add(self, check: Check) -> Check:
        if not check.name or check.name != check.name.strip() or "[" in check.name:
            raise ValueError(f"a check name is one word without brackets, not {check.name!r}")
        existing = self._checks.get(check.name)
        if existing is not None and existing.builtin and _origin(existing) != _origin(check):
            raise ValueError(f"a check named {check.name!r} is already registered")
        self._checks[check.name] = check
        self.version += 1
        return check

    def remove(self, name: str) -> None:
        """Forget a check a user registered (built-in checks stay)."""
        found = self._checks.get(name)
        if found is not None and not found.builtin:
            del self._checks[name]
            self.version += 1

    def register(
        self,
        name: str,
        *,
        family: Family,
        kind: Kind,
        part_of: str | None = None,
        variants: tuple[str, ...] = (),
        builtin: bool = True,
    ) -> Callable[[Callable[P, Iterable[Violation]]], Callable[P, list[Violation]]]:
        """Register the decorated function as the check ``name``: it returns the list of the
        violations it yields, each stamped with ``name`` unless it names a check itself."""

        def decorate(function: Callable[P, Iterable[Violation]]) -> Callable[P, list[Violation]]:
            @functools.wraps(function)
            def judged(*args: P.args, **kwargs: P.kwargs) -> list[Violation]:
                return stamp(name, function(*args, **kwargs))

            check = Check(name, family, kind, judged, part_of, variants, builtin=builtin)
            self.add(check)
            return judged

        return decorate

    def declare(
        self,
        name: str,
        *,
        family: Family,
        kind: Kind = "suite",
        variants: tuple[str, ...] = (),
        observation: bool = False,
    ) -> Check:
        """Register a check that has no function of its own to stamp with (a suite test that
        judges through other checks, or records observations)."""
        return self.add(Check(name, family, kind, None, variants=variants, observation=observation))

    def name_of(self, function: Callable[..., Any]) -> str:
        """The name ``function`` is registered under."""
        for check in self:
            if check.function is function:
                return check.name
        raise LookupError(f"{getattr(function, '__name__', function)!r} is not a registered check")

    def get(self, name: str) -> Check | None:
        return self._checks.get(name)

    def __getitem__(self, name: str) -> Check:
        return self._checks[name]

    def __contains__(self, name: object) -> bool:
        return name in self._checks

    def __iter__(self) -> Iterator[Check]:
        return iter(list(self._checks.values()))

    def checks(
        self,
        kind: Kind | None = None,
        family: Family | None = None,
        *,
        builtin: bool | None = None,
    ) -> list[Check]:
        """The registered checks, optionally of one kind, one family, built-in or not."""
        return [
            c
            for c in self
            if (kind is None or c.kind == kind)
            and (family is None or c.family == family)
            and (builtin is None or c.builtin == builtin)
        ]

    def names(
        self,
        kind: Kind | None = None,
        family: Family | None = None,
        *,
        builtin: bool | None = None,
    ) -> tuple[str, ...]:
        return tuple(c.name for c in self.checks(kind, family, builtin=builtin))

    def rows(self, *, builtin: bool | None = None) -> tuple[str, ...]:
        """Every row of the contract suite's report, in registration order."""
        return tuple(row for c in self.checks(builtin=builtin) for row in c.rows)

    def row(self, name: str) -> Check | None:
        """The check a report row (``sort-order[name-asc]`` or ``schema``) belongs to."""
        return self._checks.get(name.partition("[")[0])


REGISTRY = Registry()
"""Every check of the toolkit and those its users add."""
register = REGISTRY.register
declare = REGISTRY.declare


class PairChecks(Mapping[str, Callable[..., list[Violation]]]):
    """The registered pair checks by name, read again from the registry whenever it changed
    (so a check a user registers later is included)."""

    def __init__(self) -> None:
        self._seen = -1
        self._view: dict[str, Callable[..., list[Violation]]] = {}
        self._selections: dict[tuple[str, ...] | None, tuple[Callable[..., Any], ...]] = {}

    def _current(self) -> dict[str, Callable[..., list[Violation]]]:
        if self._seen != REGISTRY.version:
            checks = REGISTRY.checks("pair")
            self._view = {c.name: c.function for c in checks if c.function is not None}
            self._selections.clear()
            self._seen = REGISTRY.version
        return self._view

    def select(self, names: tuple[str, ...] | None) -> tuple[Callable[..., Any], ...]:
        """The checks ``names`` names, in report order (all of them for ``None``); kept until
        the registry changes, since every page judged asks again."""
        view = self._current()
        found = self._selections.get(names)
        if found is None:
            wanted = set(view) if names is None else set(names)
            unknown = sorted(wanted - set(view))
            if unknown:
                raise ValueError(
                    f"unknown check name(s): {', '.join(unknown)}; known: {', '.join(view)}"
                )
            found = self._selections[names] = tuple(f for n, f in view.items() if n in wanted)
        return found

    def __getitem__(self, name: str) -> Callable[..., list[Violation]]:
        return self._current()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())

    def __repr__(self) -> str:
        return f"PairChecks({list(self)})"


UserCheck = Callable[[Any, Any], Iterable[Violation]]


def check(function: UserCheck | None = None, *, name: str | None = None) -> Any:
    """Register a check of one's own over a request and its response: ``@check`` or
    ``@check(name="no-draft-names")`` (the name defaults to the function's, in kebab-case).

    The function takes the request body as sent and the response body, and yields (or
    returns) :class:`Violation` objects, pointers into the response body; their ``check`` is
    stamped with its name. It judges every success answer with a ``data`` object that the
    pair checks judge: in the contract suite (reported as a row of its own, family
    ``custom``), in ``campaign-contract validate`` for HAR request/response pairs, and in
    :func:`check_pair`. An exception it raises is reported as one of its violations.
    """

    def decorate(user: UserCheck) -> UserCheck:
        called = name or user.__name__.strip("_").replace("_", "-")

        def judged(ctx: Any) -> list[Violation]:
            try:
                return stamp(called, user(ctx.sent, ctx.response) or ())
            except Exception as exc:  # a user's check must not stop the run
                detail = f"{type(exc).__name__}: {exc}"
                return [Violation("", f"the check raised {detail}", called)]

        judged.__name__ = judged.__qualname__ = f"custom:{called}"
        judged.__module__ = user.__module__
        REGISTRY.add(Check(called, "custom", "pair", judged, builtin=False))
        return user

    return decorate(function) if function is not None else decorate


class ChecksModuleError(ValueError):
    """A module of checks could not be loaded; the message is one line."""


_LOADED: dict[str, str] = {}
"""The modules :func:`load_checks_module` loaded, by module name: the spec each came from."""


def load_checks_module(spec: str) -> None:
    """Import a module of checks: an importable module name, or the path of a ``.py`` file
    (relative to the current directory). Its ``@check`` functions register as it loads."""
    import hashlib
    import importlib
    import importlib.util
    import sys
    from pathlib import Path

    text = spec.strip()
    try:
        path = Path(text)
        if text.endswith(".py") or path.is_file():
            if not path.is_file():
                raise ChecksModuleError(f"checks module {text!r}: no such file")
            resolved = str(path.resolve())
            digest = hashlib.blake2b(resolved.encode(), digest_size=4).hexdigest()
            module_name = f"campaign_contract_checks_{path.stem}_{digest}"  # one per file
            found = importlib.util.spec_from_file_location(module_name, resolved)
            if found is None or found.loader is None:
                raise ChecksModuleError(f"checks module {text!r}: not a Python file")
            module = importlib.util.module_from_spec(found)
            sys.modules[module_name] = module
            found.loader.exec_module(module)
            _LOADED[module_name] = resolved
        else:
            importlib.import_module(text)
            _LOADED[text] = text
    except ChecksModuleError:
        raise
    except ModuleNotFoundError as exc:
        raise ChecksModuleError(f"checks module {text!r}: {exc}") from None
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
        raise ChecksModuleError(f"checks module {text!r} failed to load: {detail}") from None


def portable_checks() -> tuple[str, ...] | None:
    """What another process loads with :func:`load_checks_module` to register the checks a
    user added here (file paths and module names); ``None`` when one was defined where no
    other process can load it (``__main__``, an interactive session)."""
    import sys

    specs: list[str] = []
    for registered in REGISTRY.checks(builtin=False):
        module = getattr(registered.function, "__module__", None)
        spec = _LOADED.get(module) if module is not None else None
        if spec is None and module is not None and module != "__main__":
            loaded = sys.modules.get(module)
            spec = module if getattr(loaded, "__spec__", None) is not None else None
        if spec is None:
            return None
        if spec not in specs:
            specs.append(spec)
    return tuple(specs)


def load_portable_checks(specs: Iterable[str]) -> None:
    """Load what :func:`portable_checks` gave, in another process; what this process has
    loaded already (it was forked from the one that loaded them) is not loaded again."""
    loaded = set(_LOADED.values())
    for spec in specs:
        if spec not in loaded:
            load_checks_module(spec)
