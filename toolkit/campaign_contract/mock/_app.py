"""The endpoint itself, independent of the HTTP server: (method, path, headers, body) → reply."""

from __future__ import annotations

import hmac
import json
import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from campaign_contract.mock._data import Campaign
from campaign_contract.mock._request import Query, RequestError, parse_request
from campaign_contract.mock._store import Store
from campaign_contract.mock._timestamps import format_js, parse_iso

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
_FIXED_PAGE = 25  # the page size of the ``limit-ignored`` fault
_FAULT_LIMIT_CEILING = 1000  # above it, ``server-error-above-limit`` answers 500
_PATH = re.compile(r"/campaign/api/v2/public/([^/]+)/campaign/getAllCampaignDetails")
JSON_TYPE = "application/json"
OTHER_ACCOUNT = 1
"""Tenant bit: the request named another account (served only with ``account-not-checked``)."""
OTHER_APP = 2
"""Tenant bit: the request's iid named another app (served only with ``iid-not-checked``)."""

Tenants = Callable[[int], Mapping[str, Sequence[Campaign]]]
"""The campaigns of a foreign tenant (``OTHER_ACCOUNT`` / ``OTHER_APP`` bits, never 0)."""


@dataclass
class Reply:
    """An HTTP answer: status, headers (in order) and the encoded body."""

    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def error_body(message: str) -> bytes:
    return json.dumps({"status": "error", "message": message}).encode()


class MockApp:
    """getAllCampaignDetails over a :class:`Store`, for one app, account and token.

    ``tenants`` gives the campaigns of other accounts and apps; they are only ever served by
    the faults ``account-not-checked`` and ``iid-not-checked``, each from its own store built
    on first use.
    """

    def __init__(
        self,
        store: Store,
        *,
        app_id: str,
        account_id: str,
        token: str,
        faults: frozenset[str] = frozenset(),
        tenants: Tenants | None = None,
    ) -> None:
        self.store = store
        self.app_id = app_id
        self.account_id = account_id
        self.token = token
        self.faults = faults
        self._tenants = tenants
        self._foreign: dict[int, Store] = {}
        self._foreign_lock = threading.Lock()

    def close(self) -> None:
        """Close the stores of other tenants (the own store belongs to the caller)."""
        with self._foreign_lock:
            stores, self._foreign = list(self._foreign.values()), {}
        for store in stores:
            store.close()

    def _store_for(self, tenant: int) -> Store:
        if tenant == 0 or self._tenants is None:
            return self.store
        with self._foreign_lock:
            store = self._foreign.get(tenant)
            if store is None:
                store = Store()
                store.replace(self._tenants(tenant))
                self._foreign[tenant] = store
        return store

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request. ``headers`` must be keyed by lower-case names."""
        faults = self.faults  # one consistent set for the whole request
        try:
            reply = self._route(method, target, headers, body, faults)
        except RequestError as exc:
            status = exc.status
            if status == 400 and "server-error-on-bad-input" in faults:
                status = 500
            reply = self._json(status, error_body(exc.message), faults)
            if "error-status-200" in faults:
                reply.status = 200
        return reply

    def _json(self, status: int, body: bytes, faults: frozenset[str]) -> Reply:
        headers: list[tuple[str, str]] = []
        if "content-type-html" in faults:
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        elif "content-type-missing" not in faults:
            headers.append(("Content-Type", JSON_TYPE))
        return Reply(status, body, headers)

    def _route(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes,
        faults: frozenset[str],
    ) -> Reply:
        parts = urlsplit(target)
        match = _PATH.fullmatch(parts.path)
        if match is None:
            raise RequestError(404, f"no such endpoint: {parts.path[:200]}")
        if method != "POST":
            reply = self._json(
                405, error_body(f"method {method[:20]} not allowed; use POST"), faults
            )
            reply.headers.append(("Allow", "POST"))
            if "error-status-200" in faults:
                reply.status = 200
            return reply
        tenant = self._authorise(match.group(1), parts.query, headers, faults)
        query = parse_request(body, faults)
        if "server-error-above-limit" in faults and (query.limit or 0) > _FAULT_LIMIT_CEILING:
            return self._json(500, error_body("internal error: page too large"), faults)
        return self._json(200, self._page(self._store_for(tenant), query, faults), faults)

    def _authorise(
        self, path_app: str, query_string: str, headers: Mapping[str, str], faults: frozenset[str]
    ) -> int:
        """Refuse the request (:class:`RequestError`) or name whose data it reads: 0 is ours."""
        tenant = 0
        if "auth-not-checked" not in faults:
            token = headers.get("auth", "")
            if not token:
                raise RequestError(401, "auth header is missing")
            if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
                raise RequestError(401, "auth token is not valid")
        query_account = parse_qs(query_string).get("accountId", [""])[0]
        header_account = headers.get("accountid", "")
        if not query_account:
            raise RequestError(400, "accountId query parameter is required")
        if not header_account:
            raise RequestError(400, "accountid header is required")
        if query_account != self.account_id or header_account != self.account_id:
            if "account-not-checked" not in faults:
                raise RequestError(403, "accountId names an account this token cannot read")
            tenant |= OTHER_ACCOUNT
        app = unquote(path_app)
        iid = headers.get("iid", "")
        if not iid:
            raise RequestError(400, "iid header is required")
        if iid != app:
            if "iid-not-checked" not in faults:
                raise RequestError(403, "iid does not match the application id in the path")
            tenant |= OTHER_APP
        if app != self.app_id:
            raise RequestError(404, "application not found in the path's streamId")
        return tenant

    def _page(self, store: Store, query: Query, faults: frozenset[str]) -> bytes:
        limit = DEFAULT_LIMIT if query.limit is None else min(query.limit, MAX_LIMIT)
        if query.skip is not None:
            offset = query.skip
        elif query.page is not None and "page-ignored" not in faults:
            offset = (query.page - 1) * limit
        else:
            offset = 0
        fetch_offset, size = offset, limit
        if "skip-off-by-one" in faults:
            fetch_offset += 1
        if "duplicate-across-pages" in faults and offset > 0:
            fetch_offset -= 1
        if "limit-ignored" in faults:
            size = _FIXED_PAGE
        elif "page-size-off-by-one" in faults:
            size = limit + 1
        results, total, everything = store.page(query, fetch_offset, size, faults)
        if "last-page-dropped" in faults and offset > 0 and offset + limit > total:
            results = []
        if "total-results-ignores-filters" in faults:
            total = everything
        if "total-results-page-count" in faults:
            total = len(results)
        pages = total // limit if "total-pages-floor" in faults else math.ceil(total / limit)
        remaining = total - offset - len(results)
        if "has-more-off-by-one" in faults and remaining == 1:
            remaining = 0
        has_more = remaining > 0 or "has-more-always-true" in faults
        if not faults.isdisjoint(_ITEM_FAULTS):
            results = [json.dumps(_serialise(json.loads(item), faults)) for item in results]
        listing = "[" + ",".join(results) + "]"
        if not results and "results-null-when-empty" in faults:
            listing = "null"
        meta: dict[str, Any] = {
            "skip": query.raw_skip if "skip-echo-raw" in faults else offset,
            "limit": str(limit) if "limit-as-string" in faults else limit,
            "hasMore": has_more,
            "totalPages": pages,
            "totalResults": total,
        }
        # The stored campaigns are already JSON: splice them in rather than re-encode them.
        return (
            '{"status": "success", "message": "Campaign retrieved successfully", '
            f'"data": {{"results": {listing}, {json.dumps(meta)[1:]}}}'
        ).encode()


_ITEM_FAULTS = frozenset({"priority-as-number", "id-missing", "created-at-not-iso"})


def _serialise(item: dict[str, Any], faults: frozenset[str]) -> dict[str, Any]:
    if "priority-as-number" in faults and isinstance(item.get("priority"), str):
        try:
            item["priority"] = int(item["priority"])
        except ValueError:
            pass
    if "id-missing" in faults:
        item.pop("_id", None)
        item.pop("id", None)
    if "created-at-not-iso" in faults and isinstance(item.get("createdAt"), str):
        ns = parse_iso(item["createdAt"])
        if ns is not None:
            item["createdAt"] = format_js(ns)
    return item
