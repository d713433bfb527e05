"""Campaigns in SQLite: filtering, sorting and paging are SQL, independent of the oracles."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from campaign_contract.mock._data import Campaign, MockDataError
from campaign_contract.mock._request import Query
from campaign_contract.mock._timestamps import NS_PER_DAY, parse_iso

_INT64 = 2**63 - 1
_COLUMNS = (
    "seq",
    "kind",
    "cid",
    "name",
    "status",
    "priority",
    "dialing_mode",
    "created_ns",
    "updated_ns",
    "doc",
)
# ``priority`` has no declared type (no affinity): the text "5" never equals the number 5.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    cid TEXT NOT NULL,
    name TEXT,
    status TEXT,
    priority,
    dialing_mode TEXT,
    created_ns INTEGER,
    updated_ns INTEGER,
    doc TEXT NOT NULL
)
"""
_SORT_COLUMNS = {"name": "name", "createdAt": "created_ns", "updatedAt": "updated_ns"}
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("createdAt", "desc"),)


def _clamp(ns: int) -> int:
    return max(-_INT64, min(_INT64, ns))


def _timestamp(value: Any) -> int | None:
    ns = parse_iso(value) if isinstance(value, str) else None
    return None if ns is None else _clamp(ns)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else None


def _row(kind: str, item: Campaign) -> tuple[Any, ...]:
    cid = item.get("_id", item.get("id", ""))
    return (
        kind,
        cid if isinstance(cid, str) else json.dumps(cid),
        _text(item.get("name")),
        _text(item.get("status")),
        _text(item.get("priority")),
        _text(item.get("dialingMode")),
        _timestamp(item.get("createdAt")),
        _timestamp(item.get("updatedAt")),
        json.dumps(item, ensure_ascii=False),
    )


class Store:
    """A thread-safe table of campaigns (in memory, or kept in a SQLite file)."""

    def __init__(self, path: str | Path | None = None) -> None:
        target = ":memory:" if path is None else str(path)
        try:
            self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            self._db.execute(_SCHEMA)
            found = tuple(row[1] for row in self._db.execute("PRAGMA table_info(campaigns)"))
        except sqlite3.Error as exc:
            raise MockDataError(f"cannot use {target} as the mock's database: {exc}") from None
        if found != _COLUMNS:
            self._db.close()
            raise MockDataError(f"{target} holds a campaigns table of another shape")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def counts(self) -> dict[str, int]:
        """How many campaigns of each type are stored."""
        with self._lock:
            rows = self._db.execute("SELECT kind, count(*) FROM campaigns GROUP BY kind").fetchall()
        found = {"voice": 0, "sms": 0}
        found.update({str(kind): int(n) for kind, n in rows})
        return found

    def replace(self, campaigns: Mapping[str, Sequence[Campaign]]) -> None:
        """Store exactly ``campaigns`` (by type), dropping what was there."""
        rows = [_row(kind, item) for kind in ("voice", "sms") for item in campaigns.get(kind, ())]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM campaigns")
            self._db.executemany(
                "INSERT INTO campaigns (kind, cid, name, status, priority, dialing_mode,"
                " created_ns, updated_ns, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._db.execute("COMMIT")

    def campaigns(self, kind: str) -> list[Campaign]:
        """Every stored campaign of ``kind``, in insertion order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc FROM campaigns WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    def page(
        self, query: Query, offset: int, size: int, faults: Collection[str] = ()
    ) -> tuple[list[str], int, int]:
        """(JSON text of the campaigns on the page, campaigns matching, of the requested type)."""
        where, params = _where(query, faults)
        order = _order(query, faults)
        with self._lock:
            (total,) = self._db.execute(f"SELECT count(*) FROM campaigns{where}", params).fetchone()
            (everything,) = self._db.execute(
                "SELECT count(*) FROM campaigns WHERE kind = ?", (query.type,)
            ).fetchone()
            rows: list[tuple[str]] = []
            if 0 <= offset < total and size > 0:
                rows = self._db.execute(
                    f"SELECT doc FROM campaigns{where} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, size, offset],
                ).fetchall()
        return [doc for (doc,) in rows], int(total), int(everything)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _where(query: Query, faults: Collection[str]) -> tuple[str, list[Any]]:
    clauses: list[tuple[str, list[Any]]] = []
    if "type-ignored" not in faults:
        clauses.append(("kind = ?", [query.type]))
    if query.status and "status-filter-ignored" not in faults:
        clauses.append(_in("status", query.status))
    if query.priority and "priority-filter-ignored" not in faults:
        mismatch = "priority-type-mismatch" in faults
        clauses.append(_in("priority", [p if mismatch else str(p) for p in query.priority]))
    if query.type == "voice":
        dialing_mode = "dialing-mode-filter-ignored" not in faults
    else:
        dialing_mode = "dialing-mode-applied-to-sms" in faults
    if query.dialing_mode and dialing_mode:
        clauses.append(_in("dialing_mode", query.dialing_mode))
    start, end = query.start_ns, query.end_ns
    if "date-window-day-granularity" in faults:
        start = None if start is None else start - start % NS_PER_DAY
        end = None if end is None else end - end % NS_PER_DAY + NS_PER_DAY - 1
    if "end-date-ignored" in faults:
        end = None
    if start is not None:
        clauses.append(("created_ns >= ?", [_clamp(start)]))
    if end is not None:
        clauses.append(("created_ns <= ?", [_clamp(end)]))
    if not clauses:
        return "", []
    sql = " WHERE " + " AND ".join(clause for clause, _ in clauses)
    return sql, [param for _, params in clauses for param in params]


_NAME_WITHOUT_DIGITS = "name"
"""The name column with every digit removed (fault ``sort-names-ignore-numbers``)."""
for _digit in "0123456789":
    _NAME_WITHOUT_DIGITS = f"REPLACE({_NAME_WITHOUT_DIGITS}, '{_digit}', '')"
del _digit


def _order(query: Query, faults: Collection[str]) -> str:
    terms = []
    for field, direction in query.sort or DEFAULT_SORT:
        column = _SORT_COLUMNS[field]
        if field == "updatedAt" and "sort-wrong-field" in faults:
            column = "created_ns"
        if field == "name" and "sort-names-ignore-numbers" in faults:
            column = _NAME_WITHOUT_DIGITS
        way = direction.upper()
        if "sort-desc-ignored" in faults:
            way = "ASC"
        elif "sort-asc-ignored" in faults:
            way = "DESC"
        terms.append(f"{column} {way}")
    terms.append("random()" if "sort-unstable" in faults else "cid ASC, seq ASC")
    return ", ".join(terms)
