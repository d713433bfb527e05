"""The suite's handle on the server: sends requests, tallies them, turns findings into failures.

Every request of the contract suite goes through :meth:`Contract.post`, which counts it in the
running check's ledger, records throttling, and skips the check (never fails it) when the
budget is spent or the server keeps answering 429.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from .._client import (
    KEEP,
    NO_BODY,
    BudgetExhausted,
    CampaignClient,
    TargetUnreachable,
)
from .._exchange import Exchange, Target
from .._report import Failure, Observation, ThrottleEvent
from .._violations import Violation
from . import ledger as ledgers

UNREACHABLE_EXIT = 2
"""pytest's exit status (interrupted) when the server cannot be reached."""
EXCERPT = 600
"""Characters of a response body shown in a failure."""


def excerpt(exchange: Exchange, limit: int = EXCERPT) -> str:
    """The start of the response body, for failure messages and reports."""
    text = exchange.response_text or ""
    return text if len(text) <= limit else text[:limit] + "…"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def body_text(body: Any) -> str:
    """A request body as compact JSON (or ``repr`` when it is not JSON)."""
    try:
        return json.dumps(body, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        return repr(body)


def _is_final_example() -> bool:
    """True while hypothesis replays the final (shrunk) example, or outside hypothesis."""
    from hypothesis.control import current_build_context

    try:
        context = current_build_context()
    except Exception:
        return True
    return bool(getattr(context, "is_final", True))


class Contract:
    """The target of a run, the client to reach it, and the suite's recording helpers."""

    def __init__(
        self,
        target: Target,
        *,
        rate: float,
        budget: int | None,
        state_dir: Path | None = None,
        seed: int | None = None,
        secrets: Iterable[str] = (),
        on_request: Callable[[Contract], None] | None = None,
    ) -> None:
        self.target = target
        self.client = CampaignClient(target, rate=rate, budget=budget, state_dir=state_dir)
        self.seed = seed
        self.on_request = on_request
        self.down: str | None = None
        self._secrets = tuple(s for s in (target.token, *secrets) if s)
        self.cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Contract {self.target.host_root}>"

    # sending -----------------------------------------------------------------------------

    def post(
        self,
        body: Any = NO_BODY,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        drop_headers: Sequence[str] = (),
        auth: Any = KEEP,
        account_id_query: Any = KEEP,
        app_id_path: Any = KEEP,
    ) -> Exchange:
        """Send one request; count it; skip the check when the budget is spent or throttled."""
        self._stop_if_down()
        ledger = ledgers.current()
        made, events = self.client.requests_made, len(self.client.throttle_events)
        try:
            exchange = self.client.post(
                body,
                raw=raw,
                headers=headers,
                drop_headers=drop_headers,
                auth=auth,
                account_id_query=account_id_query,
                app_id_path=app_id_path,
            )
        except BudgetExhausted as exc:
            reason = f"budget spent: {exc}"
            if ledger is not None:
                ledger.skip_reason = reason
            pytest.skip(reason)
        except TargetUnreachable as exc:
            self.down = _short(self.scrub(str(exc)))
        finally:
            self._tally(ledger, made, events)
        self._stop_if_down()
        if exchange.status == 429:
            reason = f"throttled: the server still answered 429 after {exchange.attempts} attempts"
            if ledger is not None:
                ledger.skip_reason = reason
            pytest.skip(reason)
        return exchange

    def _stop_if_down(self) -> None:
        """End the run (pytest's "interrupted") once the server could not be reached."""
        if self.down is not None:
            pytest.exit(f"campaign-contract: {self.down}", returncode=UNREACHABLE_EXIT)

    def probe(self) -> None:
        """One request to learn early whether the server can be reached at all."""
        self.post({"type": "voice", "limit": 1})

    def _tally(self, ledger: ledgers.Ledger | None, made: int, events: int) -> None:
        if ledger is not None:
            ledger.requests += self.client.requests_made - made
            for event in self.client.throttle_events[events:]:
                ledger.throttling.append(ThrottleEvent(event.when, event.status, event.wait))
        if self.on_request is not None:
            self.on_request(self)

    def requests_used(self) -> int:
        """Requests sent so far by every process of the run."""
        return self.client.requests_used()

    @property
    def budget(self) -> int | None:
        return self.client.budget

    def ok(self, body: Any) -> Exchange:
        """Send a documented-valid request; fail the check unless it answers 2xx with JSON."""
        __tracebackhide__ = True
        exchange = self.post(body)
        if not 200 <= exchange.status < 300:
            self.fail(f"a documented-valid request answered HTTP {exchange.status}", exchange)
        if exchange.response_body is None:
            self.fail(f"HTTP {exchange.status} without a JSON body", exchange)
        return exchange

    def judged(self, body: Any, checks: Iterable[str] | None = None) -> Exchange:
        """:meth:`ok`, then :meth:`judge` the pair on ``checks`` (every pair check if None)."""
        __tracebackhide__ = True
        exchange = self.ok(body)
        self.judge(body, exchange, checks)
        return exchange

    def judge(self, request: Any, exchange: Exchange, checks: Iterable[str] | None = None) -> None:
        """Fail the check when the pair breaks any of ``checks`` (every pair check if None)."""
        __tracebackhide__ = True
        from .._oracles import check_pair

        found = check_pair(
            request, exchange.response_body, status_code=exchange.status, checks=checks
        )
        self.require(found, exchange)

    # judging -----------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def require(
        self,
        violations: Iterable[Violation],
        exchange: Exchange | None = None,
        *,
        what: str = "",
        body: Any = NO_BODY,
    ) -> None:
        """Fail the check with a reproduction when any violation is an error."""
        __tracebackhide__ = True
        errors = [v for v in violations if v.severity == "error"]
        if errors:
            self.fail(what or errors[0].message, exchange, errors, body=body)

    def fail(
        self,
        message: str,
        exchange: Exchange | None = None,
        violations: Sequence[Violation] = (),
        *,
        body: Any = NO_BODY,
    ) -> NoReturn:
        """Record a failure in the check's ledger and raise it with the reproduction."""
        __tracebackhide__ = True
        ledger = ledgers.current()
        request_body = exchange.request_body if exchange is not None else None
        if body is not NO_BODY:
            request_body = body
        note = Failure(
            message=self.scrub(message),
            request_body=request_body,
            response_status=exchange.status if exchange is not None else None,
            response_excerpt=self.scrub(excerpt(exchange)) if exchange is not None else "",
            violations=list(violations),
            curl=self.scrub(exchange.curl()) if exchange is not None else "",
            example=ledger.example if ledger is not None else None,
        )
        if ledger is not None:
            ledger.add_failure(note, final=_is_final_example())
        raise AssertionError(self.scrub(self.describe(note)))

    def describe(self, note: Failure) -> str:
        """A failure as the lines printed under the test: what, violations, response, curl."""
        lines = [note.message]
        if note.response_status is not None:
            lines.append(f"HTTP {note.response_status} for request {body_text(note.request_body)}")
        for v in note.violations:
            lines.append(f"  {v.pointer or '/'}: {v.message} [{v.check}]")
        if note.response_excerpt:
            lines.append(f"response: {note.response_excerpt}")
        if note.curl:
            lines.append(f"reproduce: {note.curl}")
        if self.seed is not None:
            lines.append(f"seed: {self.seed} (replay with --hypothesis-seed={self.seed})")
        return "\n".join(lines)

    def observe_answer(
        self,
        spec_note: str,
        what: str,
        exchange: Exchange,
        *,
        message: str | None = None,
        hint: str = "",
    ) -> None:
        """Record how the server answered ``what``, which the page leaves open; a 5xx fails.

        The observation is ``message``, by default "``what`` answered HTTP <status>"; the
        failure is "``what`` answered a server error" followed by ``hint``.
        """
        __tracebackhide__ = True
        message = message or f"{what} answered HTTP {exchange.status}"
        self.observe(spec_note, message, exchange=exchange)
        if exchange.status >= 500:
            self.fail(f"{what} answered a server error{hint}", exchange)

    def observe(
        self,
        spec_note: str | None,
        message: str,
        *,
        exchange: Exchange | None = None,
        body: Any = NO_BODY,
        detail: str | None = None,
    ) -> None:
        """Record doc-silent behaviour of the server: an observation, never a failure."""
        ledger = ledgers.current()
        if ledger is None:
            return
        request_body = exchange.request_body if exchange is not None else None
        if body is not NO_BODY:
            request_body = body
        if detail is None and exchange is not None:
            detail = f"HTTP {exchange.status}: {excerpt(exchange, 200)}"
        ledger.observe(
            Observation(
                ledger.check,
                spec_note,
                self.scrub(message),
                request_body,
                self.scrub(detail) if detail else None,
            )
        )
