"""What counts as a secret, and the one scrubber that keeps secrets out of every output.

Two rules, in this order:

1. **By structure.** The value of a header, field or query parameter whose *name* says it
   carries a credential (:func:`is_secret_name`) is replaced by ``***`` — in data, before
   anything is rendered: :func:`mask_headers`, :func:`mask_pairs`, :func:`mask_url`,
   :meth:`Scrubber.data`. Keys and names are never changed.
2. **By value.** A secret the run knows (the token, the client secret, a signed JWT) is also
   masked wherever it appears as a substring of a string — only when it is at least
   :data:`MIN_LENGTH` characters long: a shorter value (``t``, ``sec``) is too likely to be
   part of ordinary text (``content-type``, ``<section``) to be replaced without corrupting it.

Nothing is scrubbed before it is judged: a response is parsed and checked as it came, and the
scrubber runs on what is about to be shown or written. Rendered markup is never edited either:
the writers render data that is already scrubbed. (The shape follows schemathesis'
``core/output/sanitization.py``: sensitive names by exact match or marker, values replaced.)

Credentials in flight are :class:`Secret` strings, whose ``repr`` is ``***``, so a frame's
locals or a container's repr never print one.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

MASK = "***"
"""What replaces a secret."""
MIN_LENGTH = 8
"""The shortest known secret value that is also masked as a substring of text."""

SECRET_NAMES = frozenset({"key", "sig", "signature", "jwt", "code", "session"})
"""Names (lower case, ``_`` read as ``-``) that carry a credential as a whole."""
SECRET_MARKERS = (
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "api-key",
    "apikey",
)
"""Parts of a name that make it carry a credential: ``auth``, ``Authorization``,
``X-Auth-Token``, ``client_secret``, ``Set-Cookie``, ``x-api-key``..."""

TRUNCATION = "..."
"""What pytest's ``saferepr`` puts in place of the middle of a long value."""
MIN_PIECE = 6
"""The shortest end of a known secret, cut by a truncation, that is masked."""
_MAX_DEPTH = 40


def is_secret_name(name: object) -> bool:
    """Whether a header, field or query parameter named ``name`` carries a credential."""
    return isinstance(name, str) and _is_secret_text(name)


@functools.lru_cache(maxsize=1024)  # the same few names, again on every entry of a capture
def _is_secret_text(name: str) -> bool:
    lowered = name.lower().replace("_", "-")
    return lowered in SECRET_NAMES or any(marker in lowered for marker in SECRET_MARKERS)


class Secret(str):
    """A credential: equal to, sent and serialised as its text, but shown as ``***`` by ``repr``.

    pytest's ``-l`` and assertion messages, ``pprint`` and reprs of containers all go through
    ``repr``, so a header dict holding a :class:`Secret` never prints the credential. ``str()``
    and string operations give back the plain text: keep those results out of long-lived names.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return MASK


def secret(value: str) -> Secret:
    """``value`` as a :class:`Secret` (unchanged when it already is one)."""
    return value if isinstance(value, Secret) else Secret(value)


def secret_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` whose credential-bearing values are :class:`Secret` objects."""
    return {
        k: (secret(v) if is_secret_name(k) and isinstance(v, str) else v)
        for k, v in headers.items()
    }


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every credential-bearing value replaced by ``***``."""
    return {k: (MASK if is_secret_name(k) else v) for k, v in headers.items()}


def mask_pairs(pairs: Any) -> tuple[tuple[str, str], ...]:
    """HAR-style ``[{name, value}]`` pairs as tuples, credential-bearing values masked;
    anything that is not such a pair is left out."""
    if not isinstance(pairs, list):
        return ()
    return tuple(
        (name, MASK if is_secret_name(name) else str(pair.get("value", "")))
        for pair in pairs
        if isinstance(pair, dict)
        for name in [str(pair.get("name", ""))]
    )


@functools.lru_cache(maxsize=256)  # a capture asks the same few URLs again and again
def mask_url(url: str) -> str:
    """``url`` with user info and credential-named query values masked, fragment dropped;
    ``***`` for a URL that cannot be split at all."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rsplit("@", 1)[1]
    query = urlencode(
        [
            (key, MASK if is_secret_name(key) else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def secret_values(value: Any) -> list[str]:
    """The non-empty strings held under credential-named keys anywhere in ``value``."""
    found: list[str] = []

    def strings(node: Any) -> None:
        if isinstance(node, str):
            if node:
                found.append(node)
        elif isinstance(node, Mapping):
            for item in node.values():
                strings(item)
        elif isinstance(node, list | tuple | set | frozenset):
            for item in node:
                strings(item)

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, item in node.items():
                if is_secret_name(key):
                    strings(item)
                else:
                    walk(item)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(value)
    return found


def without_secret_names(value: Any) -> Any:
    """A copy of ``value`` without its credential-named keys, at any depth."""
    if isinstance(value, Mapping):
        return {k: without_secret_names(v) for k, v in value.items() if not is_secret_name(k)}
    if isinstance(value, list | tuple):
        return [without_secret_names(item) for item in value]
    return value


def _forms(value: str) -> set[str]:
    """The forms a secret takes once written into JSON, HTML or a URL."""
    import html  # only a run that masks a secret needs these: validate starts without them

    import markupsafe

    forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    for form in list(forms):
        forms.add(html.escape(form))
        forms.add(html.escape(form, quote=False))
        forms.add(str(markupsafe.escape(form)))
    forms.add(quote(value, safe=""))
    return forms


def _mask_pieces(text: str, secrets: Iterable[str]) -> str:
    """``text`` with the ends of each secret that a ``saferepr`` truncation left on either
    side of a ``...`` (at least :data:`MIN_PIECE` characters of it) replaced by ``***``."""
    for value in secrets:
        cuts: list[tuple[int, int]] = []
        start = text.find(TRUNCATION)
        while start != -1:
            end = start + len(TRUNCATION)
            head = next(
                (
                    n
                    for n in range(min(len(value) - 1, start), MIN_PIECE - 1, -1)
                    if text.endswith(value[:n], 0, start)
                ),
                0,
            )
            tail = next(
                (
                    n
                    for n in range(min(len(value) - 1, len(text) - end), MIN_PIECE - 1, -1)
                    if text.startswith(value[-n:], end)
                ),
                0,
            )
            if head:
                cuts.append((start - head, start))
            if tail:
                cuts.append((end, end + tail))
            start = text.find(TRUNCATION, end)
        for begin, finish in reversed(cuts):
            text = text[:begin] + MASK + text[finish:]
    return text


class Scrubber:
    """Masks the known secrets (those of :data:`MIN_LENGTH` characters or more) in text,
    data and pytest reports; masks credential-named values in data whatever the
    secrets. Shorter secrets are kept out by structure only."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self.secrets = tuple(sorted({s for s in secrets if isinstance(s, str) and s}))
        maskable = [s for s in self.secrets if len(s) >= MIN_LENGTH]
        forms = sorted({f for s in maskable for f in _forms(s)}, key=len, reverse=True)
        self._whole = re.compile("|".join(map(re.escape, forms))) if forms else None
        self._maskable = maskable

    def __bool__(self) -> bool:
        return self._whole is not None

    def text(self, text: str) -> str:
        """``text`` with every known secret (in its JSON, HTML and URL forms, or cut short by
        a ``...`` truncation) replaced by ``***``."""
        if self._whole is None:
            return text
        text = self._whole.sub(MASK, text)
        if TRUNCATION in text:
            text = _mask_pieces(text, self._maskable)
        return text

    def data(self, value: Any, _depth: int = 0) -> Any:
        """A copy of JSON-like ``value``: the values of credential-named keys replaced by
        ``***``, every other string scrubbed with :meth:`text`; keys are left as they are."""
        if _depth > _MAX_DEPTH:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {
                k: (MASK if is_secret_name(k) and v is not None else self.data(v, _depth + 1))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.data(item, _depth + 1) for item in value]
        return value

    def _in_place(self, value: Any, _depth: int = 0) -> Any:
        """``value`` with its strings scrubbed: lists and dataclasses in place, tuples
        (named ones too) and dicts rebuilt; other objects are left as they are."""
        if _depth > _MAX_DEPTH:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            value[:] = [self._in_place(v, _depth + 1) for v in value]
            return value
        if isinstance(value, tuple):
            items = [self._in_place(v, _depth + 1) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        if isinstance(value, dict):
            return {k: self._in_place(v, _depth + 1) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for item in dataclasses.fields(value):
                current = getattr(value, item.name, None)
                object.__setattr__(value, item.name, self._in_place(current, _depth + 1))
        return value

    def report(self, report: Any) -> None:
        """Scrub a pytest test report in place: failure text, captured sections, properties."""
        if not self:
            return
        longrepr = getattr(report, "longrepr", None)
        if longrepr is not None:
            if isinstance(longrepr, str | tuple) or dataclasses.is_dataclass(longrepr):
                report.longrepr = self._in_place(longrepr)
            else:
                report.longrepr = self.text(str(longrepr))
        for name in ("sections", "user_properties"):
            found = getattr(report, name, None)
            if isinstance(found, list):
                self._in_place(found)


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every known secret of :data:`MIN_LENGTH` characters or more (and its
    escaped forms) replaced by ``***``."""
    return Scrubber(secrets).text(text)
