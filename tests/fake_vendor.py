"""A small stand-in for the vendor's endpoint on loopback, with the readings the page allows.

Each :class:`Vendor` attribute switches one behaviour the page leaves open (or one defect), so
a runner function can be shown to accept every allowed reading and to catch the defects:
exclusive window bounds, a server-side cap on the page size, sort keys applied in another
priority, the page's own S-06 rule, a 4xx for a skip past the end, the account taken from the
token, error answers that are not JSON, a listing that moves between requests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from campaign_contract import validate_request
from campaign_contract.client._exchange import Target
from campaign_contract.harness._contract import Contract
from oracle_samples import page as page_body

APP, ACCOUNT, TOKEN = "st-fake-app", "fake-account", "fake-token-0123456789"
JSON = "application/json"


def campaigns(count: int, kind: str = "voice", start: int = 0) -> list[dict[str, Any]]:
    """``count`` campaigns created on distinct instants, ten hours apart, names in another
    order than creation times."""
    found = []
    for i in range(start, start + count):
        hours = 10 * i
        created = f"2025-{1 + hours // 24 // 28 % 12:02d}-{1 + hours // 24 % 28:02d}"
        created += f"T{hours % 24:02d}:00:00.000Z"
        found.append(
            {
                "id": f"{kind}-{i:05d}",
                "name": f"Campaign {(i * 7919) % 10007:05d}",
                "status": "Ready" if i % 3 else "Stopped",
                "priority": str(1 + i % 5),
                "createdAt": created,
                "updatedAt": created,
            }
        )
    return found


@dataclass
class Vendor:
    """The fake server's behaviour (see the module docstring)."""

    listings: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"voice": campaigns(40), "sms": campaigns(20, "sms")}
    )
    cap: int = 100
    default_limit: int = 10
    end_exclusive: bool = False
    start_exclusive: bool = False
    day_granularity: bool = False
    reversed_keys: bool = False
    requires_sort_name: bool = False
    skip_past_end_status: int | None = None
    account: str = "checked"
    """``checked`` (403 for another, 400 for none), ``token`` (ignored: the token's own
    listing), ``tenant`` (another account gets another tenant's campaigns), ``query`` or
    ``header`` (access checked on the other of the two account ids, the tenant chosen by this
    one: a defect)."""
    error_body: bytes | None = None
    """A non-JSON body (sent as text/html) for every 4xx."""
    missing_auth_status: int = 401
    moving_until: int = 0
    """Until this many requests were answered, each one sees a campaign more than the last."""
    swapping: bool = False
    """Every other answer shows another campaign in place of the oldest one (a defect that
    leaves the totals as they are)."""
    lost_in_windows: frozenset[str] = frozenset()
    """Campaign ids a listing with startDate or endDate leaves out (a defect)."""
    server_errors: bool = False
    """Every refusal is a 500 instead of a 4xx."""
    lenient: str | None = None
    """``"reads"``: a scalar filter value is read as a one-value array and a sort direction
    ``1``/``-1`` as asc/desc, as a lenient server may (S-47); ``"ignores"``: such a field is
    dropped and the rest answered (a defect)."""
    refuses_skip_with_page: bool | str = False
    """A request giving ``skip`` and ``page`` is refused with a 400 (S-14): those that
    disagree, or with ``"all"`` every one, the samples' own ``skip`` 0 and ``page`` 1 too (a
    defect)."""
    max_limit: int | None = None
    """A ``limit`` above this is refused with a 400 (a maximum of the server's own, S-15)."""
    offsets_ignored: bool = False
    """A window bound written with a UTC offset is read as UTC local time (a defect)."""
    counts_repeats: bool = False
    """A status repeated in ``filters.status`` lists its campaigns once per repetition (a
    defect: S-36 reads the array as a set)."""
    refusal_status: int | None = None
    """Every refusal is answered under this status (a 2xx) with ``status: "error"`` in its
    body, as the page's envelope allows (S-46)."""
    throttling: bool = False
    """Every request is answered 429 with ``Retry-After: 0``."""
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, query: dict[str, str], headers: dict[str, str], raw: bytes) -> Any:
        """(status, content type, body bytes) for one request."""
        if self.throttling:
            return 429, JSON, json.dumps({"status": "error", "message": "slow down"}).encode()
        if headers.get("auth") != TOKEN:
            return self.refuse(self.missing_auth_status, "unauthorised")
        if headers.get("iid") not in (None, APP) and self.account == "checked":
            return self.refuse(403, "wrong iid")
        account = query.get("accountId") or headers.get("accountid")
        if self.account in ("query", "header"):
            checked, served = headers.get("accountid"), query.get("accountId")
            if self.account == "header":
                checked, served = served, checked
            if checked != ACCOUNT:
                return self.refuse(403, "wrong account")
            account = served
        if self.account == "checked" and account != ACCOUNT:
            return self.refuse(403 if account else 400, "wrong account")
        try:
            body = json.loads(raw)
        except ValueError:
            return self.refuse(400, "not JSON")
        self.requests.append(body)
        if self.lenient is not None and isinstance(body, dict):
            body = self.leniently(body)
        if validate_request(body):
            return self.refuse(400, "invalid request")
        both = all(body.get(name) not in (None, "") for name in ("skip", "page"))
        agree = body.get("skip") == 0 and body.get("page") == 1
        refused = self.refuses_skip_with_page == "all" or not agree
        if self.refuses_skip_with_page and both and refused:
            return self.refuse(400, "give skip or page, not both")
        asked = body.get("limit")
        if self.max_limit is not None and isinstance(asked, int) and asked > self.max_limit:
            return self.refuse(400, f"limit must be at most {self.max_limit}")
        sort_by = body.get("sortBy") or {}
        if self.requires_sort_name and sort_by and "name" not in sort_by:
            return self.refuse(400, "sortBy.name must be included")
        tenant = self.account in ("tenant", "query", "header") and account != ACCOUNT
        items = self.select(body, tenant)
        return self.page(body, items)

    def refuse(self, status: int, message: str) -> tuple[int, str, bytes]:
        status = 500 if self.server_errors else status
        if self.error_body is not None:
            return status, "text/html", self.error_body
        refusal = {"status": "error", "message": message}
        if self.refusal_status is not None:
            status, refusal["code"] = self.refusal_status, status
        return status, JSON, json.dumps(refusal).encode()

    def select(self, body: dict[str, Any], tenant: bool) -> list[dict[str, Any]]:
        items = list(self.listings[body["type"]])
        if tenant:
            items = [{**c, "id": "other-" + c["id"]} for c in items]
        created = min(len(self.requests), self.moving_until)
        for extra in campaigns(created, body["type"], 900):
            items.append({**extra, "createdAt": "2024-01-01T00:00:00.000Z"})
        if self.swapping and len(self.requests) % 2 == 0 and items:
            items[0] = {**items[0], "id": items[0]["id"] + "-swapped"}
        statuses = (body.get("filters") or {}).get("status")
        if statuses and self.counts_repeats:
            items = [c for status in statuses for c in items if c["status"] == status]
        elif statuses:
            items = [c for c in items if c["status"] in statuses]
        start, end = body.get("startDate") or None, body.get("endDate") or None
        if self.day_granularity:
            start = start and start[:10]
            end = end and end[:10] + "T23:59:59.999Z"
        if start or end:
            items = [c for c in items if c["id"] not in self.lost_in_windows]
        if start:
            low = self.moment(start)
            items = [
                c
                for c in items
                if (
                    self.moment(c["createdAt"]) > low
                    if self.start_exclusive
                    else self.moment(c["createdAt"]) >= low
                )
            ]
        if end:
            high = self.moment(end)
            items = [
                c
                for c in items
                if (
                    self.moment(c["createdAt"]) < high
                    if self.end_exclusive
                    else self.moment(c["createdAt"]) <= high
                )
            ]
        return self.sort(items, body.get("sortBy") or {"createdAt": "desc"})

    def leniently(self, body: dict[str, Any]) -> dict[str, Any]:
        body = json.loads(json.dumps(body))
        for name, value in list((body.get("filters") or {}).items()):
            if isinstance(value, str | int) and not isinstance(value, bool):
                if self.lenient == "reads":
                    body["filters"][name] = [value]
                else:
                    del body["filters"][name]
        for key, direction in list((body.get("sortBy") or {}).items()):
            if direction in (1, -1) and not isinstance(direction, bool):
                if self.lenient == "reads":
                    body["sortBy"][key] = "asc" if direction == 1 else "desc"
                else:
                    del body["sortBy"][key]
        return body

    def moment(self, text: str) -> datetime:
        """A timestamp as an instant; with ``offsets_ignored``, its local time read as UTC."""
        if self.offsets_ignored:
            text = text[:23]
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def sort(self, items: list[dict[str, Any]], sort_by: dict[str, str]) -> list[dict[str, Any]]:
        keys = list(sort_by.items())
        if self.reversed_keys:
            keys.reverse()
        ordered = sorted(items, key=lambda c: c["id"])
        for key, direction in reversed(keys):
            ordered.sort(key=lambda c, k=key: c[k], reverse=direction == "desc")
        return ordered

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        asked = body.get("limit")
        limit = min(int(asked) if asked not in (None, "") else self.default_limit, self.cap)
        skip_text, page_text = body.get("skip"), body.get("page")
        if skip_text not in (None, ""):
            skip = int(skip_text)
        else:
            skip = (int(page_text) - 1) * limit if page_text not in (None, "") else 0
        total = len(items)
        if skip >= total > 0 and self.skip_past_end_status is not None:
            return self.refuse(self.skip_past_end_status, "skip past the end")
        doc = page_body(items[skip : skip + limit], skip=skip, limit=limit, total=total)
        return 200, JSON, json.dumps(doc).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.server.lock:
            status, kind, body = self.server.vendor.answer(query, headers, raw)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status == 429:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, vendor: Vendor) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.vendor = vendor
        self.lock = threading.Lock()


@contextmanager
def served(vendor: Vendor) -> Iterator[str]:
    """``vendor`` served on loopback: its host root URL."""
    server = _Server(vendor)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(vendor: Vendor) -> Iterator[Contract]:
    """A :class:`Contract` on ``vendor`` served on loopback."""
    with served(vendor) as url:
        contract = Contract(Target(url, APP, ACCOUNT, TOKEN), rate=0.0, budget=None)
        try:
            yield contract
        finally:
            contract.client.close()
