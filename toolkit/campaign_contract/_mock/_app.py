"""The endpoint itself, independent of the HTTP server: (method, path, headers, body) → reply."""

from __future__ import annotations

import hmac
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ._request import Query, RequestError, parse_request
from ._store import Store
from ._timestamps import format_js, parse_iso

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
_FIXED_PAGE = 25  # the page size of the ``limit-ignored`` fault
_PATH = re.compile(r"/campaign/api/v2/public/([^/]+)/campaign/getAllCampaignDetails")
JSON_TYPE = "application/json"


@dataclass
class Reply:
    """An HTTP answer: status, headers (in order) and the encoded body."""

    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def error_body(message: str) -> bytes:
    return json.dumps({"status": "error", "message": message}).encode()


class MockApp:
    """getAllCampaignDetails over a :class:`Store`, for one app, account and token."""

    def __init__(
        self,
        store: Store,
        *,
        app_id: str,
        account_id: str,
        token: str,
        faults: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.app_id = app_id
        self.account_id = account_id
        self.token = token
        self.faults = faults

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
        self._authorise(match.group(1), parts.query, headers, faults)
        query = parse_request(body, faults)
        return self._json(200, self._page(query, faults), faults)

    def _authorise(
        self, path_app: str, query_string: str, headers: Mapping[str, str], faults: frozenset[str]
    ) -> None:
        if "auth-not-checked" not in faults:
            token = headers.get("auth", "")
            if not token:
                raise RequestError(401, "auth header is missing")
            if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
                raise RequestError(401, "auth token is not valid")
        if "account-not-checked" not in faults:
            query_account = parse_qs(query_string).get("accountId", [""])[0]
            header_account = headers.get("accountid", "")
            if not query_account:
                raise RequestError(400, "accountId query parameter is required")
            if not header_account:
                raise RequestError(400, "accountid header is required")
            if query_account != self.account_id or header_account != self.account_id:
                raise RequestError(403, "accountId names an account this token cannot read")
        app = unquote(path_app)
        if "iid-not-checked" not in faults:
            iid = headers.get("iid", "")
            if not iid:
                raise RequestError(400, "iid header is required")
            if iid != app:
                raise RequestError(403, "iid does not match the application id in the path")
        if app != self.app_id:
            raise RequestError(404, "application not found in the path's streamId")

    def _page(self, query: Query, faults: frozenset[str]) -> bytes:
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
        results, total, everything = self.store.page(query, fetch_offset, size, faults)
        if "last-page-dropped" in faults and offset > 0 and offset + limit > total:
            results = []
        if "total-results-ignores-filters" in faults:
            total = everything
        if "total-results-page-count" in faults:
            total = len(results)
        pages = total // limit if "total-pages-floor" in faults else math.ceil(total / limit)
        has_more = offset + len(results) < total or "has-more-always-true" in faults
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
