"""Compiled validators that decide valid or invalid quickly.

The reference validators in :mod:`._schemas` (pure Python ``jsonschema``) remain the only source
of messages and pointers. This module compiles the same schema documents, both profiles, with
``jsonschema-rs`` when it is installed, and answers one question: is this document valid?

- ``True``: the document is valid; callers may skip the reference validator.
- ``False``: the compiled validator rejects it; callers run the reference validator, whose verdict
  and explanation are final. (Some patterns are stricter under the compiled engine's ECMA-262
  regex semantics, e.g. ``\\d`` only matches ASCII digits and ``$`` does not match before a
  trailing newline, so a ``False`` here is a request for explanation, not a verdict.)
- ``None``: no compiled backend is available (not installed, or switched off with the
  environment variable ``CAMPAIGN_CONTRACT_FASTPATH=0``); callers use the reference path.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from campaign_contract.validation._schemas import BASE_URI, Kind, Profile, documents, schema

_rs: Any
try:
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised by the fallback test via monkeypatch
    _rs = None

if os.environ.get("CAMPAIGN_CONTRACT_FASTPATH", "1").strip().lower() in {"0", "false", "no", "off"}:
    _rs = None


def available() -> bool:
    """Whether the compiled backend is installed and switched on."""
    return _rs is not None


@functools.cache
def _registry(profile: Profile) -> Any:
    return _rs.Registry([(BASE_URI + name, doc) for name, doc in documents(profile).items()])


@functools.cache
def _compiled(kind: Kind, profile: Profile) -> Any:
    return compile_schema(schema(kind, profile), profile)


def compiled_validator(kind: Kind, profile: Profile = "documented") -> Any | None:
    """The compiled ``jsonschema-rs`` validator for ``kind`` under ``profile``, if available."""
    if _rs is None:
        return None
    return _compiled(kind, profile)


def fast_is_valid(kind: Kind, profile: Profile, doc: Any) -> bool | None:
    """``True`` when ``doc`` is valid for ``kind``/``profile``, ``False`` when it needs the
    reference validator, ``None`` when no compiled backend is available."""
    if _rs is None:
        return None
    return is_valid_with(_compiled(kind, profile), doc)


def compile_schema(document: dict[str, Any], profile: Profile = "documented") -> Any | None:
    """A compiled validator for a schema of the toolkit's own making whose ``$ref`` resolve
    among ``profile``'s schemas; ``None`` when no compiled backend is available."""
    if _rs is None:
        return None
    return _rs.Draft202012Validator(
        document, registry=_registry(profile), validate_formats=False, offline=True
    )


def is_valid_with(compiled: Any, doc: Any) -> bool:
    """Whether ``compiled`` (from :func:`compile_schema`) accepts ``doc``; ``False`` when it
    cannot tell (a number too large for it, nesting too deep)."""
    try:
        return bool(compiled.is_valid(doc))
    except (ValueError, TypeError, OverflowError, RecursionError):
        return False
