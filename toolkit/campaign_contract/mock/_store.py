"""Campaigns in SQLite: filtering, sorting and paging are SQL, independent of the oracles.

Every tenant's campaigns share one table; each tenant's campaigns of one type form a listing,
and every query names one. Each sort and filter column has an index led by the listing, so a
page deep into a long listing costs an index walk (from whichever end is nearer), and a sort of
several keys sorts only the ties of its first key on the page. A file made by a version whose
table had another shape is refused with a one-line message.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from campaign_contract._json import dumps_exact
from campaign_contract.mock._data import Campaign, MockDataError
from campaign_contract.mock._faults import F
from campaign_contract.mock._request import Query
from campaign_contract.mock._timestamps import NS_PER_DAY, parse_iso

_INT64 = 2**63 - 1
Key = tuple[str, str]
"""A tenant's (account id, app id): every query is confined to one."""
_COLUMNS = (
    "seq",
    "listing",
    "account",
    "app",
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
# A listing is one tenant's campaigns of one type: every index leads with its number, a cheaper
# key to sort and compare than the tenant's names and the type.
_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS listings (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    app TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (account, app, kind)
)
""",
    """
CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY,
    listing INTEGER NOT NULL,
    account TEXT NOT NULL,
    app TEXT NOT NULL,
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
""",
)
_SORT_COLUMNS = {"name": "name", "createdAt": "created_ns", "updatedAt": "updated_ns"}
_FILTER_COLUMNS = ("status", "priority", "dialing_mode")
Term = tuple[str, str]
"""An ORDER BY term: a column (or expression) and ``ASC`` or ``DESC``."""
_TIE_BREAK: tuple[Term, ...] = (("cid", "ASC"), ("seq", "ASC"))
_RANDOM: Term = ("random()", "ASC")
"""The tie-break of fault ``sort-unstable``."""
_OPPOSITE = {"ASC": "DESC", "DESC": "ASC"}
_CARRIED = ("cid", "seq", *_FILTER_COLUMNS, "created_ns", "name", "updated_ns")
# Each sort column leads two indexes (ascending, descending), followed by the tie-break, so any
# single-key page is read in index order; each carries every column a query sorts or filters
# by (the filter columns first: a filtered walk reads them from every entry it skips), so the
# rows OFFSET skips (and the ties a second key sorts) never leave the index. Each
# filter column leads an index for the counts, carrying the other filter columns, so a count
# reads only the entries of the values its first filter names. All follow the listing.
_INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS by_{lead}_{way.lower()} ON campaigns (listing, "
    + f"{lead} {way}, "
    + ", ".join(column for column in _CARRIED if column != lead)
    + ")"
    for lead in _SORT_COLUMNS.values()
    for way in ("ASC", "DESC")
) + tuple(
    f"CREATE INDEX IF NOT EXISTS by_{column} ON campaigns (listing, {column}, "
    + ", ".join(other for other in (*_FILTER_COLUMNS, "created_ns") if other != column)
    + ")"
    for column in _FILTER_COLUMNS
)
_OUR_INDEXES = (
    "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'by\\_%' ESCAPE '\\'"
)
_LISTING_ONLY = " WHERE listing = ?"
"""The terms of a query that filters nothing: its count is the type's."""
_COUNTS_KEPT = 1024
"""Counts of filtered listings remembered (all forgotten when the campaigns change)."""
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


def _row(listing: int, key: Key, kind: str, item: Campaign) -> tuple[Any, ...]:
    cid = item.get("_id", item.get("id", ""))
    return (
        listing,
        *key,
        kind,
        cid if isinstance(cid, str) else json.dumps(cid),
        _text(item.get("name")),
        _text(item.get("status")),
        _text(item.get("priority")),
        _text(item.get("dialingMode")),
        _timestamp(item.get("createdAt")),
        _timestamp(item.get("updatedAt")),
        dumps_exact(item),
    )


class StoreError(MockDataError):
    """The database cannot be used (unreadable, damaged, of another shape)."""


class Store:
    """A thread-safe table of every tenant's campaigns (in memory, or kept in a SQLite file)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._target = ":memory:" if path is None else str(path)
        self._lock = threading.Lock()
        self._totals: dict[int, int] = {}
        self._counts: dict[tuple[str, tuple[Any, ...]], int] = {}
        self._listings: dict[tuple[Key, str], int] = {}
        try:
            self._db = sqlite3.connect(self._target, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None
        try:
            with self._guard():
                for table in _SCHEMA:
                    self._db.execute(table)
                found = tuple(row[1] for row in self._db.execute("PRAGMA table_info(campaigns)"))
                if found != _COLUMNS:
                    raise StoreError(
                        f"{self._target} holds a campaigns table of another shape "
                        "(made by another version?); use a new file"
                    )
                for index in _INDEXES:
                    self._db.execute(index)
                (check,) = self._db.execute("PRAGMA quick_check(1)").fetchone()
                if check != "ok":
                    raise StoreError(f"cannot use {self._target}: the database is damaged")
        except BaseException:
            self._db.close()
            raise

    def _unusable(self, exc: sqlite3.Error) -> StoreError:
        return StoreError(f"cannot use {self._target} as the mock's database: {exc}")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Every SQLite error as one :class:`StoreError` line naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def counts(self, key: Key) -> dict[str, int]:
        """How many campaigns of each type the tenant ``key`` has."""
        with self._lock, self._guard():
            rows = self._db.execute(
                "SELECT kind, count(*) FROM campaigns WHERE account = ? AND app = ? GROUP BY kind",
                key,
            ).fetchall()
        found = {"voice": 0, "sms": 0}
        found.update({str(kind): int(n) for kind, n in rows})
        return found

    def replace(self, key: Key, campaigns: Mapping[str, Sequence[Campaign]]) -> None:
        """Give the tenant ``key`` exactly ``campaigns`` (by type), dropping what it had."""
        with self._lock, self._guard():
            self._db.execute("BEGIN")
            try:
                listings = {}
                for kind in ("voice", "sms"):
                    self._db.execute(
                        "INSERT OR IGNORE INTO listings (account, app, kind) VALUES (?, ?, ?)",
                        (*key, kind),
                    )
                    self._listings.pop((key, kind), None)  # a page asked before may have cached 0
                    listings[kind] = self._listing(key, kind)
                rows = [
                    _row(listings[kind], key, kind, item)
                    for kind in ("voice", "sms")
                    for item in campaigns.get(kind, ())
                ]
                self._db.execute("DELETE FROM campaigns WHERE account = ? AND app = ?", key)
                for (name,) in self._db.execute(_OUR_INDEXES).fetchall():
                    self._db.execute(f"DROP INDEX {name}")  # rebuilt at once, faster
                self._db.executemany(
                    f"INSERT INTO campaigns ({', '.join(_COLUMNS[1:])})"
                    f" VALUES ({', '.join('?' * (len(_COLUMNS) - 1))})",
                    rows,
                )
                for index in _INDEXES:
                    self._db.execute(index)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._totals.clear()
            self._counts.clear()
            self._listings.clear()
            self._db.execute("PRAGMA analysis_limit = 1000")
            self._db.execute("ANALYZE")

    def campaigns(self, key: Key, kind: str) -> list[Campaign]:
        """Every campaign of ``kind`` the tenant ``key`` has, in insertion order."""
        with self._lock, self._guard():
            rows = self._db.execute(
                "SELECT doc FROM campaigns WHERE account = ? AND app = ? AND kind = ? ORDER BY seq",
                (*key, kind),
            ).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    def page(
        self, key: Key, query: Query, offset: int, size: int, faults: Collection[str] = ()
    ) -> tuple[list[str], int, int]:
        """(JSON text of the campaigns on the page, campaigns matching, of the requested type),
        all of the tenant ``key``."""
        terms = _order(query, faults)
        with self._lock, self._guard():
            listing = self._listing(key, query.type)
            filters, params = _where(query, faults)
            if F.TYPE_IGNORED in faults:
                where = f" WHERE listing IN (?, ?){filters}"
                params = [self._listing(key, "voice"), self._listing(key, "sms"), *params]
            else:
                where, params = f" WHERE listing = ?{filters}", [listing, *params]
            everything = self._total(listing)
            total = everything if where == _LISTING_ONLY else self._count(where, params)
            docs: list[str] = []
            if 0 <= offset < total and size > 0:
                # The page is found in a covering index first and only its documents are read:
                # the rows OFFSET skips never leave the index.
                seqs = self._seqs(where, params, terms, offset, size, total)
                marks = ", ".join("?" * len(seqs))
                found = dict(
                    self._db.execute(f"SELECT seq, doc FROM campaigns WHERE seq IN ({marks})", seqs)
                )
                docs = [found[seq] for seq in seqs]
        return docs, total, everything

    def _count(self, where: str, params: list[Any]) -> int:
        """How many campaigns ``where`` matches, counted once per data set (every page of a
        listing has the same count)."""
        remembered = (where, tuple(params))
        found = self._counts.get(remembered)
        if found is None:
            if len(self._counts) >= _COUNTS_KEPT:
                self._counts.clear()
            (found,) = self._db.execute(f"SELECT count(*) FROM campaigns{where}", params).fetchone()
            self._counts[remembered] = found = int(found)
        return found

    def _seqs(
        self, where: str, params: list[Any], terms: list[Term], offset: int, size: int, total: int
    ) -> list[int]:
        """The ``seq`` of each campaign on the page (``offset < total``), in order.

        OFFSET steps over every row it skips, so a page nearer the end of the listing is read
        in the opposite order (every term's direction flipped, the same index walked backwards;
        NULL, the least value, moves from first to last) and turned round.
        """
        end = min(offset + size, total)
        backwards = terms[-1] != _RANDOM and total - end < offset
        if backwards:
            terms = [(column, _OPPOSITE[way]) for column, way in terms]
            offset, size = total - end, end - offset
        seqs = self._walk(where, params, terms, offset, size)
        return seqs[::-1] if backwards else seqs

    def _walk(
        self, where: str, params: list[Any], terms: list[Term], offset: int, size: int
    ) -> list[int]:
        """The ``seq`` of ``size`` campaigns from ``offset`` on, in the order of ``terms``.

        A sort of several keys is read from the index of its first key: SQLite sorts only the
        ties of the first key, but it would sort every tie group OFFSET skips. So the page's
        first campaign is found in the first key's index (its value and how many campaigns
        with that value precede it there), and only the campaigns from the first with that
        value on are sorted by every key.
        """
        order = ", ".join(f"{column} {way}" for column, way in terms)
        lead, way = terms[0]
        tie = terms[-len(_TIE_BREAK) :]  # the tie-break, in this direction
        several = len(terms) > 1 + len(_TIE_BREAK) and terms[-1] != _RANDOM
        since, bounds = "", list[Any]()
        if offset > 0 and several and lead in _SORT_COLUMNS.values():
            by_lead = ", ".join(f"{column} {way}" for column, way in (terms[0], *tie))
            value, cid, seq = self._db.execute(
                f"SELECT {lead}, cid, seq FROM campaigns{where} ORDER BY {by_lead}"
                " LIMIT 1 OFFSET ?",
                [*params, offset],
            ).fetchone()
            before = "<" if tie[0][1] == "ASC" else ">"
            (offset,) = self._db.execute(
                f"SELECT count(*) FROM campaigns{where} AND {lead} IS ?"
                f" AND (cid, seq) {before} (?, ?)",
                [*params, value, cid, seq],
            ).fetchone()
            since, bounds = self._since(where, params, lead, way, value)
        sql = f"SELECT seq FROM campaigns{where}{since} ORDER BY {order} LIMIT ? OFFSET ?"
        return [seq for (seq,) in self._db.execute(sql, [*params, *bounds, size, offset])]

    def _since(
        self, where: str, params: list[Any], lead: str, way: str, value: Any
    ) -> tuple[str, list[Any]]:
        """The terms keeping the campaigns from the first whose ``lead`` is ``value`` to the
        end, in direction ``way`` (NULL sorts before every value ascending, after descending)."""
        if way == "ASC":
            return ("", []) if value is None else (f" AND {lead} >= ?", [value])
        if value is None:
            return f" AND {lead} IS NULL", []
        nulls = self._db.execute(
            f"SELECT 1 FROM campaigns{where} AND {lead} IS NULL LIMIT 1", params
        ).fetchone()
        if nulls is None:
            return f" AND {lead} <= ?", [value]
        return f" AND ({lead} <= ? OR {lead} IS NULL)", [value]

    def _listing(self, key: Key, kind: str) -> int:
        """The number of the tenant's listing of ``kind`` (0, which lists nothing, if none)."""
        found = self._listings.get((key, kind))
        if found is None:
            row = self._db.execute(
                "SELECT id FROM listings WHERE account = ? AND app = ? AND kind = ?", (*key, kind)
            ).fetchone()
            self._listings[(key, kind)] = found = 0 if row is None else int(row[0])
        return found

    def _total(self, listing: int) -> int:
        found = self._totals.get(listing)
        if found is None:
            (found,) = self._db.execute(
                "SELECT count(*) FROM campaigns WHERE listing = ?", (listing,)
            ).fetchone()
            self._totals[listing] = found = int(found)
        return found


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


Clause = tuple[str, list[Any]]


def _where(query: Query, faults: Collection[str]) -> tuple[str, list[Any]]:
    """`` AND ...`` for the query's filters and date window (after the listing's terms)."""
    clauses = _filter_clauses(query, faults)
    clauses += _window_clauses(query, faults)
    sql = "".join(f" AND {clause}" for clause, _ in clauses)
    return sql, [param for _, params in clauses for param in params]


def _filter_clauses(query: Query, faults: Collection[str]) -> list[Clause]:
    clauses: list[Clause] = []
    if query.status and F.STATUS_FILTER_IGNORED not in faults:
        clauses.append(_in("status", query.status))
    if query.priority and F.PRIORITY_FILTER_IGNORED not in faults:
        as_given = F.PRIORITY_TYPE_MISMATCH in faults  # numbers never equal the stored text
        clauses.append(_in("priority", [p if as_given else str(p) for p in query.priority]))
    if query.type == "voice":
        dialing_mode = F.DIALING_MODE_FILTER_IGNORED not in faults
    else:
        dialing_mode = F.DIALING_MODE_APPLIED_TO_SMS in faults
    if query.dialing_mode and dialing_mode:
        clauses.append(_in("dialing_mode", query.dialing_mode))
    return clauses


def _window_clauses(query: Query, faults: Collection[str]) -> list[Clause]:
    start, end = query.start_ns, query.end_ns
    if F.DATE_WINDOW_DAY_GRANULARITY in faults:
        start = None if start is None else start - start % NS_PER_DAY
        end = None if end is None else end - end % NS_PER_DAY + NS_PER_DAY - 1
    if F.END_DATE_IGNORED in faults:
        end = None
    clauses: list[Clause] = []
    if start is not None:
        clauses.append(("created_ns >= ?", [_clamp(start)]))
    if end is not None:
        clauses.append(("created_ns <= ?", [_clamp(end)]))
    return clauses


_NAME_WITHOUT_DIGITS = "name"
"""The name column with every digit removed (fault ``sort-names-ignore-numbers``)."""
for _digit in "0123456789":
    _NAME_WITHOUT_DIGITS = f"REPLACE({_NAME_WITHOUT_DIGITS}, '{_digit}', '')"
del _digit


def _order(query: Query, faults: Collection[str]) -> list[Term]:
    """The ORDER BY terms, the tie-break last."""
    terms = []
    for field, direction in query.sort or DEFAULT_SORT:
        column = _SORT_COLUMNS[field]
        if field == "updatedAt" and F.SORT_WRONG_FIELD in faults:
            column = "created_ns"
        if field == "name" and F.SORT_NAMES_IGNORE_NUMBERS in faults:
            column = _NAME_WITHOUT_DIGITS
        way = direction.upper()
        if F.SORT_DESC_IGNORED in faults:
            way = "ASC"
        elif F.SORT_ASC_IGNORED in faults:
            way = "DESC"
        terms.append((column, way))
    terms += [_RANDOM] if F.SORT_UNSTABLE in faults else _TIE_BREAK
    return terms
