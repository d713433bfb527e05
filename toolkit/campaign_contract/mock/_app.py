"""The endpoint itself, independent of the HTTP server: (method, path, headers, body) → reply."""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from campaign_contract.mock._auth import Authenticator
from campaign_contract.mock._data import Campaign
from campaign_contract.mock._faults import F
from campaign_contract.mock._request import Query, RequestError, parse_request
from campaign_contract.mock._store import Key, Store
from campaign_contract.mock._tenants import Tenant
from campaign_contract.mock._throttle import RateLimit, SlidingWindow, retry_after
from campaign_contract.mock._timestamps import format_js, parse_iso

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
_FIXED_PAGE = 25  # the page size of the ``limit-ignored`` fault
_FAULT_LIMIT_CEILING = 1000  # above it, ``server-error-above-limit`` answers 500
_PATH = re.compile(r"/campaign/api/v2/public/([^/]+)/campaign/getAllCampaignDetails")
JSON_TYPE = "application/json"

Faults = Collection[str]
Foreign = Callable[[Key], Mapping[str, Sequence[Campaign]]]
"""The campaigns of an account and app no tenant has (served only by the access faults)."""


@dataclass
class Reply:
    """An HTTP answer: status, headers (in order) and the encoded body."""

    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def error_body(message: str, *, status: str = "error") -> bytes:
    return json.dumps({"status": status, "message": message}).encode()


@dataclass(frozen=True)
class _Window:
    """Where a page starts and how much of it is read, faults applied."""

    offset: int
    limit: int
    fetch_offset: int
    size: int


class MockApp:
    """getAllCampaignDetails over a :class:`Store` for its ``tenants`` (the first is the main one).

    Each credential reaches only its tenant's campaigns. ``foreign`` gives the campaigns of an
    account or app no tenant has; they are only ever served by the faults
    ``account-not-checked`` and ``iid-not-checked``, each from its own store built on first use.
    ``rate_limit`` throttles each account (429 with ``Retry-After``).
    """

    def __init__(
        self,
        store: Store,
        tenants: Sequence[Tenant],
        *,
        faults: frozenset[F] = frozenset(),
        foreign: Foreign | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.store = store
        self.tenants = tuple(tenants)
        self.faults = faults
        self._auth = Authenticator(self.tenants)
        self._by_app = {t.app_id: t for t in self.tenants}
        self._keys = {t.key for t in self.tenants}
        self._window = SlidingWindow(rate_limit) if rate_limit is not None else None
        self._make_foreign = foreign
        self._foreign: dict[Key, Store] = {}
        self._foreign_lock = threading.Lock()

    def close(self) -> None:
        """Close the stores of foreign tenants (the own store belongs to the caller)."""
        with self._foreign_lock:
            stores, self._foreign = list(self._foreign.values()), {}
        for store in stores:
            store.close()

    def _store_for(self, key: Key) -> Store:
        if key in self._keys or self._make_foreign is None:
            return self.store
        with self._foreign_lock:
            store = self._foreign.get(key)
            if store is None:
                store = Store()
                store.replace(key, self._make_foreign(key))
                self._foreign[key] = store
        return store

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request. ``headers`` must be keyed by lower-case names."""
        faults = self.faults  # one consistent set for the whole request
        try:
            reply = self._route(method, target, headers, body, faults)
        except RequestError as exc:
            status = exc.status
            if status == 400 and F.SERVER_ERROR_ON_BAD_INPUT in faults:
                status = 500
            if F.ERROR_STATUS_200 in faults:
                # a refusal that says it succeeded: not the envelope's "error" (S-46)
                status, message = 200, error_body(exc.message, status="success")
            else:
                message = error_body(exc.message)
            reply = self._json(status, message, faults)
            reply.headers.extend(exc.headers)
        return reply

    def _json(self, status: int, body: bytes, faults: Faults) -> Reply:
        headers: list[tuple[str, str]] = []
        if F.CONTENT_TYPE_HTML in faults:
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        elif F.CONTENT_TYPE_MISSING not in faults:
            headers.append(("Content-Type", JSON_TYPE))
        return Reply(status, body, headers)

    def _route(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes, faults: Faults
    ) -> Reply:
        parts = urlsplit(target)
        match = _PATH.fullmatch(parts.path)
        if match is None:
            raise RequestError(404, f"no such endpoint: {parts.path[:200]}")
        if method != "POST":
            raise RequestError(
                405, f"method {method[:20]} not allowed; use POST", [("Allow", "POST")]
            )
        tenant, key = self._authorise(match.group(1), parts.query, headers, faults)
        self._throttle(tenant)
        query = parse_request(body, faults)
        if F.SERVER_ERROR_ABOVE_LIMIT in faults and (query.limit or 0) > _FAULT_LIMIT_CEILING:
            return self._json(500, error_body("internal error: page too large"), faults)
        return self._json(200, self._page(self._store_for(key), key, query, faults), faults)

    def _throttle(self, tenant: Tenant) -> None:
        if self._window is None:
            return
        wait = self._window.admit(tenant.account_id)
        if wait:
            limit = self._window.limit
            raise RequestError(
                429,
                f"rate limit of {limit} per account exceeded; retry after {retry_after(wait)} s",
                [("Retry-After", retry_after(wait))],
            )

    def _caller(self, headers: Mapping[str, str], account: str, app: str, faults: Faults) -> Tenant:
        """The tenant the ``auth`` header reaches (with ``auth-not-checked``: the one named)."""
        if F.AUTH_NOT_CHECKED not in faults:
            return self._auth.identify(headers.get("auth", ""))
        named = self._by_app.get(app)
        return named if named is not None and named.account_id == account else self.tenants[0]

    def _authorise(
        self, path_app: str, query_string: str, headers: Mapping[str, str], faults: Faults
    ) -> tuple[Tenant, Key]:
        """Refuse the request (:class:`RequestError`) or name the caller and whose data it
        reads: the caller's own, unless an access fault lets the request choose."""
        app = unquote(path_app)
        query_account = parse_qs(query_string).get("accountId", [""])[0]
        tenant = self._caller(headers, query_account, app, faults)
        header_account = headers.get("accountid", "")
        if not query_account:
            raise RequestError(400, "accountId query parameter is required")
        if not header_account:
            raise RequestError(400, "accountid header is required")
        account = tenant.account_id
        if query_account != account or header_account != account:
            if F.ACCOUNT_NOT_CHECKED not in faults:
                raise RequestError(403, "accountId names an account this token cannot read")
            account = query_account if query_account != account else header_account
        iid = headers.get("iid", "")
        if not iid:
            raise RequestError(400, "iid header is required")
        data_app = app
        if iid != app:
            if F.IID_NOT_CHECKED not in faults:
                raise RequestError(403, "iid does not match the application id in the path")
            data_app = iid
        if app != tenant.app_id:
            if app in self._by_app:
                raise RequestError(403, "the path's streamId names an app this token cannot read")
            raise RequestError(404, "application not found in the path's streamId")
        return tenant, (account, data_app)

    def _page(self, store: Store, key: Key, query: Query, faults: Faults) -> bytes:
        window = _window(query, faults)
        results, total, everything = store.page(
            key, query, window.fetch_offset, window.size, faults
        )
        trailing = window.offset > 0 and window.offset + window.limit > total
        if F.LAST_PAGE_DROPPED in faults and trailing:
            results = []
        if F.TOTAL_RESULTS_IGNORES_FILTERS in faults:
            total = everything
        if F.TOTAL_RESULTS_PAGE_COUNT in faults:
            total = len(results)
        if not _ITEM_FAULTS.isdisjoint(faults):
            results = [json.dumps(_serialise(json.loads(item), faults)) for item in results]
        listing = "[" + ",".join(results) + "]"
        if not results and F.RESULTS_NULL_WHEN_EMPTY in faults:
            listing = "null"
        meta = _paging(query, window, total, len(results), faults)
        # The stored campaigns are already JSON: splice them in rather than re-encode them.
        return (
            '{"status": "success", "message": "Campaign retrieved successfully", '
            f'"data": {{"results": {listing}, {json.dumps(meta)[1:]}}}'
        ).encode()


def _window(query: Query, faults: Faults) -> _Window:
    limit = DEFAULT_LIMIT if query.limit is None else min(query.limit, MAX_LIMIT)
    if query.skip is not None:
        offset = query.skip
    elif query.page is not None and F.PAGE_IGNORED not in faults:
        offset = (query.page - 1) * limit
    else:
        offset = 0
    fetch_offset, size = offset, limit
    if F.SKIP_OFF_BY_ONE in faults:
        fetch_offset += 1
    if F.DUPLICATE_ACROSS_PAGES in faults and offset > 0:
        fetch_offset -= 1
    if F.LIMIT_IGNORED in faults:
        size = _FIXED_PAGE
    elif F.PAGE_SIZE_OFF_BY_ONE in faults:
        size = limit + 1
    return _Window(offset, limit, fetch_offset, size)


def _paging(
    query: Query, window: _Window, total: int, count: int, faults: Faults
) -> dict[str, Any]:
    """``data``'s paging figures for a page of ``count`` results out of ``total``."""
    limit = window.limit
    pages = total // limit if F.TOTAL_PAGES_FLOOR in faults else math.ceil(total / limit)
    remaining = total - window.offset - count
    if F.HAS_MORE_OFF_BY_ONE in faults and remaining == 1:
        remaining = 0
    return {
        "skip": query.raw_skip if F.SKIP_ECHO_RAW in faults else window.offset,
        "limit": str(limit) if F.LIMIT_AS_STRING in faults else limit,
        "hasMore": remaining > 0 or F.HAS_MORE_ALWAYS_TRUE in faults,
        "totalPages": pages,
        "totalResults": total,
    }


_ITEM_FAULTS = frozenset({F.PRIORITY_AS_NUMBER, F.ID_MISSING, F.CREATED_AT_NOT_ISO})


def _serialise(item: dict[str, Any], faults: Faults) -> dict[str, Any]:
    if F.PRIORITY_AS_NUMBER in faults and isinstance(item.get("priority"), str):
        try:
            item["priority"] = int(item["priority"])
        except ValueError:
            pass
    if F.ID_MISSING in faults:
        item.pop("_id", None)
        item.pop("id", None)
    if F.CREATED_AT_NOT_ISO in faults and isinstance(item.get("createdAt"), str):
        ns = parse_iso(item["createdAt"])
        if ns is not None:
            item["createdAt"] = format_js(ns)
    return item
