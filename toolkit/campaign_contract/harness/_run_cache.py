"""The run's cache of answers: an identical request within a run is answered once.

A request is identified by everything that is sent: the body as written (member order kept,
since sort keys apply in body order), raw bytes, extra or dropped headers and the overridden
credentials, account id and app id. Only answers worth repeating are kept: no throttled
answer (429, 503) and no server error, which a later request may not meet again. Inside
:meth:`RunCache.bypass` every request is sent (and its answer kept, replacing the older one).

With a ``folder`` (the run's shared state folder) the answers are also written there, one small
JSON file each, so the pytest-xdist workers of one run share them: a listing one worker walked
serves the others' checks too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import fields
from pathlib import Path
from typing import Any

from campaign_contract._files import write_atomically
from campaign_contract._json import dumps_exact
from campaign_contract.client._exchange import Exchange

MAX_ANSWERS = 4096
"""The most answers kept; the oldest go first beyond that."""


def request_key(
    body: Any,
    raw: bytes | None,
    headers: Mapping[str, str] | None,
    drop_headers: Sequence[str],
    *overrides: Any,
) -> str | None:
    """A digest of what one request sends, or ``None`` when it cannot be written down."""
    try:
        text = json.dumps(
            [
                repr(body)
                if not isinstance(body, dict | list | str | int | float | None)
                else body,
                raw.hex() if raw is not None else None,
                sorted((str(k).lower(), str(v)) for k, v in (headers or {}).items()),
                sorted(h.lower() for h in drop_headers),
                [str(o) if isinstance(o, str) else repr(o) for o in overrides],
            ],
            ensure_ascii=False,
        )
    except (TypeError, ValueError):
        return None
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class RunCache:
    """Answers by request key; ``bypass`` makes every request go out."""

    def __init__(self, limit: int = MAX_ANSWERS, folder: Path | None = None) -> None:
        self.limit = limit
        self.folder = folder
        if folder is not None:
            with suppress(OSError):  # made once; a write that cannot be made is skipped
                folder.mkdir(parents=True, exist_ok=True)
        self._answers: dict[str, Exchange] = {}
        self._bypassed = 0
        self.hits = 0

    def get(self, key: str | None) -> Exchange | None:
        if key is None or self._bypassed:
            return None
        found = self._answers.get(key)
        if found is None and self.folder is not None:
            found = _read(self.folder / f"{key}.json")
            if found is not None:
                self._answers[key] = found
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: str | None, exchange: Exchange) -> None:
        if key is None or exchange.throttled or exchange.status >= 500:
            return
        self._answers.pop(key, None)
        self._answers[key] = exchange
        while len(self._answers) > self.limit:
            self._answers.pop(next(iter(self._answers)))
        if self.folder is not None:
            _write(self.folder, key, exchange)

    @contextmanager
    def bypass(self) -> Iterator[None]:
        self._bypassed += 1
        try:
            yield
        finally:
            self._bypassed -= 1


def _write(folder: Path, key: str, exchange: Exchange) -> None:
    """Write the answer for other processes (each writer through a scratch file of its own:
    :func:`~campaign_contract._files.write_atomically`)."""
    text = _written(exchange)
    if text is None:
        return
    with suppress(OSError):
        write_atomically(folder / f"{key}.json", text)


def _written(exchange: Exchange) -> bytes | None:
    """The answer as exact JSON (:func:`~campaign_contract._json.dumps_exact`), the response
    body apart from the rest. A ``null`` in orjson's text makes ``dumps_exact`` read it back
    to compare: the small rest nearly always holds one (no raw request body), a body seldom,
    and apart, the large body is not read back for its neighbour's ``None``."""
    data = {f.name: getattr(exchange, f.name) for f in fields(exchange)}
    raw = exchange.raw_request_body
    data["raw_request_body"] = raw.hex() if raw is not None else None
    body = data.pop("response_body")
    try:
        written_body, rest = dumps_exact(body), dumps_exact(data)
    except (TypeError, ValueError):
        return None
    return f'{{"response_body":{written_body},"exchange":{rest}}}'.encode()


def _read(path: Path) -> Exchange | None:
    """An answer another process of the run wrote, else ``None``."""
    try:
        record = json.loads(path.read_bytes())  # not orjson: it reads 10**40 as a float
        data = record["exchange"]
        data["response_body"] = record["response_body"]
        raw = data.get("raw_request_body")
        data["raw_request_body"] = bytes.fromhex(raw) if isinstance(raw, str) else None
        return Exchange(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None
