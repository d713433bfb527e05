"""Helpers for the mock's tests: calling it over real HTTP and walking its pages."""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from typing import Any

import pytest
import requests
from campaign_contract import MockServer
from campaign_contract.client._exchange import Target

TIMEOUT = 10


def call(
    mock: MockServer,
    body: Any = None,
    *,
    raw: bytes | None = None,
    headers: Mapping[str, str | None] | None = None,
    url: str | None = None,
    method: str = "POST",
    session: requests.Session | None = None,
) -> requests.Response:
    """Send one request to the mock; ``headers`` override the documented ones (None drops)."""
    sent = mock.headers()
    for key, value in (headers or {}).items():
        sent.pop(key, None)
        if value is not None:
            sent[key] = value
    data = raw if raw is not None else (None if body is None else _json(body))
    sender = session or requests
    return sender.request(
        method, url or mock.url(), headers=sent, data=data, timeout=TIMEOUT, allow_redirects=False
    )


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def data(mock: MockServer, body: Any, session: requests.Session | None = None) -> dict[str, Any]:
    """``data`` of a 200 answer to ``body`` (fails the test on any other status)."""
    response = call(mock, body, session=session)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]
    return result


def ids(results: list[dict[str, Any]]) -> list[str]:
    return [item.get("_id", item.get("id")) for item in results]


def crawl(
    mock: MockServer, body: dict[str, Any], limit: int, max_pages: int = 60
) -> tuple[list[str], list[dict[str, Any]]]:
    """Walk the pages by ``skip``; (every id seen in order, every page's data)."""
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    skip = 0
    for _ in range(max_pages):
        page = data(mock, {**body, "skip": skip, "limit": limit})
        pages.append(page)
        results = page["results"] or []
        seen.extend(ids(results))
        if not page["hasMore"]:
            break
        skip += limit
    return seen, pages


def crawl_is_sound(mock: MockServer, body: dict[str, Any], limit: int) -> bool:
    """True when the walk ends and yields exactly totalResults distinct campaigns."""
    seen, pages = crawl(mock, body, limit)
    total = pages[0]["totalResults"]
    return (
        not pages[-1]["hasMore"]
        and len(seen) == len(set(seen)) == total
        and all(page["totalResults"] == total for page in pages)
    )


def raw_exchange(mock: MockServer, request: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes on a fresh connection; everything the mock answers before closing."""
    host, port = "127.0.0.1", mock.port
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def run_suite(
    pytester: pytest.Pytester, *options: str, target: Target | None = None, seed: int = 1
) -> tuple[int, dict[str, Any]]:
    """Run the packaged contract suite with few examples against ``target`` (default: the
    embedded mock it starts itself); (pytest's exit code, report.json)."""
    from campaign_contract.cli._verify import suite_dir

    reports = pytester.path / "reports"
    addressed = []
    if target is not None:
        addressed = [
            f"--campaign-url={target.url}",
            f"--campaign-app-id={target.app_id}",
            f"--campaign-account-id={target.account_id}",
            f"--campaign-token={target.token}",
        ]
    result = pytester.runpytest(
        str(suite_dir()),
        "-p",
        "no:randomly",
        "--campaign-max-examples=5",
        f"--hypothesis-seed={seed}",
        f"--campaign-report-dir={reports}",
        *addressed,
        *options,
    )
    record: dict[str, Any] = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    return int(result.ret), record


def outcomes(record: dict[str, Any]) -> dict[str, str]:
    return {check["name"]: check["outcome"] for check in record["checks"]}
