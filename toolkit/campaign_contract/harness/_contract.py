"""The suite's handle on the server: sends requests, tallies them, turns findings into failures.

Every request of the contract suite goes through :meth:`Contract.post`, which counts it in the
running check's ledger, records throttling, and skips the check (never fails it) when the
budget is spent or the server keeps answering 429.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, TypeVar

import pytest

from campaign_contract._secrets import Scrubber, secret_values
from campaign_contract.client._client import (
    KEEP,
    NO_BODY,
    BudgetExhausted,
    CampaignClient,
    ClientError,
    TargetUnreachable,
)
from campaign_contract.client._exchange import Exchange, Target
from campaign_contract.generation._model import MAX_LIMIT
from campaign_contract.harness import _coverage as coverage
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._replay import SetAside, replaying
from campaign_contract.harness._run_cache import RunCache, request_key
from campaign_contract.harness._stops import PREFLIGHT_BODY, preflight_problem
from campaign_contract.oracles._common import request_int
from campaign_contract.oracles._context import read_pair
from campaign_contract.oracles._page import skip_readings
from campaign_contract.oracles._registry import stamp
from campaign_contract.report import Failure, Observation
from campaign_contract.report._format import body_text
from campaign_contract.validation._violations import Violation

T = TypeVar("T")
ANSWERS = "answers"
"""The folder, in the run's shared state folder, where workers share the answers received."""
SHARE_SPENT = "the check's share of the plan is used"
"""Why an example after the first is left unjudged once its check has used its share."""
UNREACHABLE_EXIT = 2
"""pytest's exit status (interrupted) when the server cannot be reached."""
EXCERPT = 600
"""Characters of a response body shown in a failure."""
DRIFT_NOTE = "S-42"
"""The SPEC_NOTES entry on a live listing that changes between two requests."""


@dataclass
class Compared:
    """What a comparison of several answers found: the violations, the exchange to reproduce
    them with, the failure's headline ("" for the first error's message), and whether a live
    listing changing between the requests may explain them (``drift``)."""

    violations: Sequence[Violation] = ()
    exchange: Exchange | None = None
    what: str = ""
    drift: bool = True

    @property
    def errors(self) -> list[Violation]:
        return _errors(self.violations)


def excerpt(exchange: Exchange, limit: int = EXCERPT) -> str:
    """The start of the response body, for failure messages and reports; a JSON body with
    credential-named fields is shown with their values masked (``_secrets``)."""
    text = exchange.response_text or ""
    if secret_values(exchange.response_body):
        masked = Scrubber().data(exchange.response_body)
        text = json.dumps(masked, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_failure(note: Failure, seed: int | None = None) -> str:
    """A failure as the lines printed under a check: what, violations, response, curl, seed."""
    lines = [note.message]
    if note.response_status is not None:
        lines.append(
            f"HTTP {note.response_status} for request {body_text(note.request_body, None)}"
        )
    for v in note.violations:
        lines.append(f"  {v.pointer or '/'}: {v.message} [{v.check}]")
    if note.inputs:
        lines.append("drawn: " + "; ".join(note.inputs))
    if note.response_excerpt:
        lines.append(f"response: {note.response_excerpt}")
    if note.curl:
        lines.append(f"reproduce: {note.curl}")
    if seed is not None:
        lines.append(f"seed: {seed} (replay with --hypothesis-seed={seed})")
    return "\n".join(lines)


def _is_final_example() -> bool:
    """True while hypothesis replays the final (shrunk) example, or outside hypothesis."""
    from hypothesis.control import current_build_context

    try:
        context = current_build_context()
    except Exception:
        return True
    return bool(getattr(context, "is_final", True))


def lacks_sort_name(request: Any) -> bool:
    """True when ``request``'s sortBy is an object with sort keys but without ``name``."""
    sort_by = request.get("sortBy") if isinstance(request, dict) else None
    return isinstance(sort_by, dict) and bool(sort_by) and "name" not in sort_by


class _Refusal(NamedTuple):
    """A 4xx the page allows: its note, what the server did, why the example is set aside."""

    spec_note: str
    observed: str
    reason: str


SAMPLE_LIMIT = 50
"""The ``limit`` of the page's sample requests: a server must serve it; above it, a server may
have a maximum of its own and refuse (S-15)."""

SAMPLE_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
"""How the page's samples write a request's date bounds: ``2025-12-01T00:00:00.000Z``."""


def beyond_the_samples(request: Any) -> str | None:
    """The spec note of a form of ``request`` the page's samples do not show though the
    schema allows it: a date bound in another ISO 8601 form (S-08), an empty filter array
    (S-22); ``None`` when it has none."""
    if not isinstance(request, dict):
        return None
    bounds = [request.get(name) for name in ("startDate", "endDate")]
    if any(isinstance(b, str) and not SAMPLE_TIMESTAMP.fullmatch(b) for b in bounds):
        return "S-08"
    filters = request.get("filters")
    if isinstance(filters, dict) and any(value == [] for value in filters.values()):
        return "S-22"
    return None


def set_aside(reason: str) -> NoReturn:
    """Leave the current example unjudged: hypothesis drops it (and so does a replay of it,
    :mod:`._replay`); a plain check is skipped."""
    from hypothesis import reject
    from hypothesis.control import current_build_context

    if replaying():
        raise SetAside(reason)
    try:
        current_build_context()
    except Exception:
        pytest.skip(reason)
    reject()


def _errors(found: Iterable[Violation]) -> list[Violation]:
    return [v for v in found if v.severity == "error"]


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
        live: bool = False,
    ) -> None:
        self.target = target
        self.client = CampaignClient(target, rate=rate, budget=budget, state_dir=state_dir)
        self.seed = seed
        self.on_request = on_request
        self.live = live
        """The live-tenant profile: walks are bounded, listings sampled."""
        self.down: str | None = None
        self.down_reason: ledgers.StopReason | None = None
        """Why ``down`` ended the run: unreachable, or refused by the preflight."""
        self.scrubber = Scrubber((target.token, *secrets))
        self.cache: dict[str, Any] = {}
        paced = self.client.rate > 0 or self.client.budget is not None
        self.answers = RunCache(folder=state_dir / ANSWERS if state_dir and paced else None)
        """Answers already received in this run, keyed by the request (fetch once, judge many).
        Workers share them through the state folder when the run is paced or counted: then a
        request costs more than the file that shares it. Unpaced, on a fast server, writing
        every answer for the others costs more than the few requests it saves them."""
        self.sort_name_required = False
        """Set once the server answered 4xx to a sortBy without ``name`` (S-06)."""
        self.largest_limit = MAX_LIMIT
        """The largest ``limit`` the suite asks for: the most it ever sends, or the samples'
        once the server refused a larger one (S-15)."""
        self.first_refusal: tuple[bool, str, str] | None = None
        """How the server refused the first schema-invalid request: (in its body under a 2xx,
        what the request was, the answer), the reading of S-46 the later ones are held to."""

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
        probe: bool = False,
    ) -> Exchange:
        """Send one request; count it; skip the check when the budget is spent or throttled.

        An identical request already answered in this run is answered from the run's cache
        (counted as reused in the check's ledger), except inside :meth:`fresh`. A ``probe``
        (a request that tells how to read another's answer) is sent past the check's share
        of the plan, so that it never sets aside the example whose answer it explains."""
        __tracebackhide__ = True
        self._stop_if_down()
        ledger = ledgers.current()
        key = request_key(body, raw, headers, drop_headers, auth, account_id_query, app_id_path)
        known = self.answers.get(key)
        if known is not None:
            if ledger is not None:
                ledger.reused += 1
            return known
        if ledger is not None and not probe and ledger.share_spent():
            ledger.examples -= 1  # not an example the check ran: it was never sent
            set_aside(SHARE_SPENT)
        sending_failed = ""
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
            self._stop(ledger, ledgers.StopReason.BUDGET, str(exc))
        except TargetUnreachable as exc:
            self.down = self.scrub(f"{exc}; check the url and that the server is up")
        except ClientError as exc:
            sending_failed = self.scrub(str(exc))
        finally:
            self._tally(ledger, made, events)
        self._stop_if_down()
        if sending_failed:
            self.fail(f"the request could not be sent: {sending_failed}", body=body)
        if exchange.throttled and exchange.status == 429:
            detail = f"the server still answered 429 after {exchange.attempts} attempts"
            self._stop(ledger, ledgers.StopReason.THROTTLED, detail)
        self.answers.put(key, exchange)
        if ledger is not None and ledger.check in coverage.auth_cases():
            self.cover(exchange)
        return exchange

    @staticmethod
    def _stop(ledger: ledgers.Ledger | None, reason: ledgers.StopReason, detail: str) -> NoReturn:
        """Skip the check: the run stopped it for ``reason`` (recorded in its ledger)."""
        __tracebackhide__ = True
        if ledger is None:
            pytest.skip(f"{reason}: {detail}")
        pytest.skip(ledger.stopped(reason, detail))

    def within_share(self, items: Iterable[T]) -> Iterator[T]:
        """``items`` for a check that loops over fixed cases: the first always, the others
        while the check's share of the plan lasts (every one without a budget)."""
        ledger = ledgers.current()
        for index, item in enumerate(items):
            if index and ledger is not None and ledger.share is not None:
                if ledger.requests >= ledger.share:
                    return
            yield item

    def fresh(self) -> AbstractContextManager[None]:
        """Within this context every request is sent, none answered from the run's cache:
        where repetition is the point (determinism, a comparison asked again)."""
        return self.answers.bypass()

    def _stop_if_down(self) -> None:
        """End the run (pytest's "interrupted") once the server could not be reached."""
        if self.down is not None:
            pytest.exit(f"campaign-contract: {self.down}", returncode=UNREACHABLE_EXIT)

    def preflight(self) -> None:
        """One request before any check: end the run (incomplete, with one line naming what to
        fix) when the server cannot be reached or refuses the credentials (401), the account
        or app (403) or the path (404); otherwise every check runs, the auth checks in full.

        A preflight still answered 429 proves the server is there: it skips nothing (a skip
        here would skip every check of the session unsent), the checks meet the throttling
        themselves and the run stops after enough of them in a row ended throttled."""
        ledger = ledgers.current()
        try:
            exchange = self.post(dict(PREFLIGHT_BODY))
        except pytest.skip.Exception:
            if ledger is None or ledger.stop is not ledgers.StopReason.THROTTLED:
                raise
            ledger.resume()
            return
        problem = preflight_problem(self.target, exchange)
        if problem is not None:
            self.down = self.scrub(problem)
            self.down_reason = ledgers.StopReason.REFUSED
            self._stop_if_down()

    def _tally(self, ledger: ledgers.Ledger | None, made: int, events: int) -> None:
        if ledger is not None:
            ledger.requests += self.client.requests_made - made
            for event in self.client.throttle_events[events:]:
                ledger.throttling.append(event)
        if self.on_request is not None:
            self.on_request(self)

    def requests_used(self) -> int:
        """Requests sent so far by every process of the run."""
        return self.client.requests_used()

    @property
    def budget(self) -> int | None:
        return self.client.budget

    def ok(self, body: Any, *, cover: bool = True) -> Exchange:
        """Send a documented-valid request; fail the check unless it answers 2xx with JSON
        (``cover``: see :meth:`expect_ok`)."""
        __tracebackhide__ = True
        exchange = self.post(body)
        self.expect_ok(body, exchange, cover=cover)
        return exchange

    def expect_ok(self, body: Any, exchange: Exchange, *, cover: bool = True) -> None:
        """Fail the check unless the answer to a documented-valid request is 2xx with JSON
        (a 4xx the page allows sets the example aside: :meth:`allowed_refusal`); then note
        what it covered, unless the caller judges it next (which notes it)."""
        __tracebackhide__ = True
        if not exchange.succeeded:
            self.set_aside_if_allowed(body, exchange)
            self.fail(f"a documented-valid request answered {exchange.answer}", exchange)
        if exchange.response_body is None:
            self.fail(f"HTTP {exchange.status} without a JSON body", exchange)
        if cover:
            self.cover(exchange, body)

    def judged(self, body: Any, checks: Iterable[str] | None = None) -> Exchange:
        """:meth:`ok`, then :meth:`judge` the pair on ``checks`` (every pair check if None)."""
        __tracebackhide__ = True
        exchange = self.ok(body, cover=False)
        self.judge(body, exchange, checks)
        return exchange

    def judge(self, request: Any, exchange: Exchange, checks: Iterable[str] | None = None) -> None:
        """Fail the check when the pair breaks any of ``checks`` (every built-in pair check if
        None). The checks users registered judge the pair too; what they find is kept in the
        ledger for their own rows (:meth:`judge_custom`) and never fails this check."""
        __tracebackhide__ = True
        from campaign_contract.oracles import check_pair
        from campaign_contract.oracles._registry import REGISTRY

        wanted = list(REGISTRY.names("pair", builtin=True) if checks is None else checks)
        self.cover(exchange, request, wanted)
        found = check_pair(
            request, exchange.response_body, status_code=exchange.status, checks=wanted
        )
        self.judge_custom(request, exchange)
        self.require(found, exchange)

    def cover(self, exchange: Exchange, request: Any = NO_BODY, judges: Iterable[str] = ()) -> None:
        """Note in the check's ledger what the exchange covered (:mod:`._coverage`):
        ``request`` is the body judged (the one sent unless given), ``judges`` the pair
        checks its answer is judged on besides the running check."""
        ledger = ledgers.current()
        if ledger is None:
            return
        body = exchange.request_body if request is NO_BODY else request
        found = coverage.facts(ledger.check, body, exchange.status, exchange.response_body, judges)
        ledger.exercised |= found.exercised
        ledger.judged |= found.judged

    def judge_custom(self, request: Any, exchange: Exchange) -> None:
        """Judge the pair with every check a user registered; record in the running check's
        ledger how many pairs each judged and the first failure each found."""
        from campaign_contract.oracles import check_pair
        from campaign_contract.oracles._registry import REGISTRY

        ledger = ledgers.current()
        if ledger is None:
            return
        for name in REGISTRY.names("pair", builtin=False):
            found = check_pair(
                request, exchange.response_body, status_code=exchange.status, checks=[name]
            )
            errors = _errors(found)
            failure = None
            if errors:
                failure = self.failure(errors[0].message, exchange, errors)
            ledger.judged_by(name, failure)

    # judging -----------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        return self.scrubber.text(text)

    def allowed_refusal(self, request: Any, exchange: Exchange, *, send: bool = True) -> str | None:
        """Why a refusal (S-46) of a documented-valid request is one the page allows, else
        ``None``: a sortBy without ``name`` (S-06), a form the samples do not show (S-08, S-22),
        a ``skip`` and ``page`` that disagree (S-14), or, when ``send`` lets it ask a probe, a
        request past the end (S-26) or a limit above the samples' (S-15). Recorded as an
        observation; the reason is the one an example it answers is set aside for."""
        if not exchange.refused:
            return None
        readings: list[Callable[[Any, int], _Refusal | None]] = [
            self._requires_sort_name,
            self._refuses_other_forms,
            self._refuses_skip_with_page,
        ]
        if send:  # the readings that ask the server a probe
            readings += [self._refuses_past_end, self._refuses_large_limit]
        for reading in readings:
            found = reading(request, exchange.status)
            if found is not None:
                self.observe(found.spec_note, found.observed, exchange=exchange)
                return found.reason
        return None

    def set_aside_if_allowed(self, request: Any, exchange: Exchange) -> None:
        """Leave the example (or check) unjudged when :meth:`allowed_refusal` names a reason."""
        reason = self.allowed_refusal(request, exchange)
        if reason is not None:
            set_aside(reason)

    def _requires_sort_name(self, request: Any, status: int) -> _Refusal | None:
        """The page's own rule "sortBy.name must be included" (S-06), when ``request`` sorts
        without ``name``."""
        if not lacks_sort_name(request):
            return None
        self.sort_name_required = True
        return _Refusal(
            "S-06",
            f"a sortBy without name answered HTTP {status}: the server applies the page's rule "
            "that sortBy.name must be included",
            "the server requires sortBy.name when sorting (S-06)",
        )

    def _refuses_other_forms(self, request: Any, status: int) -> _Refusal | None:
        """A refusal of a form the samples do not show (:func:`beyond_the_samples`): a server
        may read the page as allowing only the samples' (S-08 reading b; S-22)."""
        note = beyond_the_samples(request)
        if note is None:
            return None
        what = "a date bound not in the samples' form" if note == "S-08" else "an empty filter"
        return _Refusal(
            note,
            f"{what} answered HTTP {status}: the server accepts only what the samples show",
            f"the server refuses {what} ({note})",
        )

    def _refuses_skip_with_page(self, request: Any, status: int) -> _Refusal | None:
        """A refusal of a request giving ``skip`` and ``page`` that disagree: the page says
        neither which wins nor how they combine (S-14), so a server may refuse such a pair. Its
        samples send both, agreeing (``skip`` 0, ``page`` 1): those must be served."""
        if not isinstance(request, dict):
            return None
        skip = request_int(request.get("skip"), 0)[1]
        page = request_int(request.get("page"), 1)[1]
        limit = request_int(request.get("limit"), 1)[1]
        if skip is None or page is None or (skip == 0 and page == 1):
            return None
        if limit is not None and skip == (page - 1) * limit:
            return None
        return _Refusal(
            "S-14",
            f"skip and page given together answered HTTP {status}: the server refuses the pair "
            "rather than choose a reading",
            "the server refuses skip and page together (S-14)",
        )

    def _refuses_large_limit(self, request: Any, status: int) -> _Refusal | None:
        """A refusal of a ``limit`` above the samples' (:data:`SAMPLE_LIMIT`) when the same
        request with the samples' limit is answered: the server has a maximum of its own
        (S-15). From then on the suite asks for no more than the samples' limit."""
        if not isinstance(request, dict):
            return None
        limit = request_int(request.get("limit"), 1)[1]
        if limit is None or limit <= SAMPLE_LIMIT:
            return None
        if not self.post({**request, "limit": SAMPLE_LIMIT}, probe=True).succeeded:
            return None
        self.largest_limit = SAMPLE_LIMIT
        return _Refusal(
            "S-15",
            f"limit {limit} answered HTTP {status} and limit {SAMPLE_LIMIT}, the samples', was "
            "answered: the server refuses a limit above a maximum of its own",
            f"the server refuses a limit above {SAMPLE_LIMIT} (S-15)",
        )

    def _refuses_past_end(self, request: Any, status: int) -> _Refusal | None:
        """A refusal of a request whose ``skip`` or ``page`` lies past its last match (an
        offset of at least ``totalResults``) under some S-14 reading (:func:`skip_readings`):
        one of the readings the page allows (S-26). The same request's first page tells the
        matches (from the run's cache when it was asked before)."""
        if not isinstance(request, dict):
            return None
        skip = request_int(request.get("skip"), 0)[1] or 0
        page = request_int(request.get("page"), 1)[1] or 1
        if skip == 0 and page == 1:
            return None
        # a blank skip or page stays, as it means "absent" (S-05): a server refusing blanks
        # refuses the first page too, and its refusal is not taken for this one
        first = self.post(
            {k: v for k, v in request.items() if k not in ("skip", "page") or v == ""},
            probe=True,
        )
        context = read_pair(request, first.response_body) if first.succeeded else None
        total = context.figure("totalResults") if context is not None else None
        readings = skip_readings(context) if context is not None else None
        if total is None or not readings or max(readings) < total:
            return None
        return _Refusal(
            "S-26",
            f"a request past the last of its {total} matches answered HTTP {status}: the server "
            "refuses a skip past the end",
            "the server refuses a request past the end of the listing (S-26)",
        )

    def stable(self, compare: Callable[[], Compared]) -> None:
        """Run a comparison of several answers; fail the check on what it finds, except that a
        disagreement a moving listing may explain (``drift``) is compared once more first.

        A live listing may change between requests (a campaign created or removed); only a
        disagreement that comes back fails. One that does not is an observation (S-42).
        """
        __tracebackhide__ = True
        found = compare()
        if found.errors and found.drift:
            with self.fresh():
                again = compare()
            if not again.errors:
                first = self.stamped(found.errors)[0]
                self.observe(
                    DRIFT_NOTE,
                    f"[{first.check}] the answers disagreed, then agreed when asked again: the "
                    "listing changed between the requests",
                    exchange=found.exchange,
                    detail=self.scrub(first.message),
                )
                return
            found = again
        self.require(found.violations, found.exchange, what=found.what)

    def stamped(self, violations: Iterable[Violation]) -> list[Violation]:
        """``violations`` with the running check's name on each that names none (a suite
        check's body builds violations without naming itself, as registered checks do)."""
        ledger = ledgers.current()
        if ledger is None:
            return list(violations)
        return stamp(ledger.check.partition("[")[0], violations)

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
        errors = [v for v in self.stamped(violations) if v.severity == "error"]
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
        note = self.failure(message, exchange, violations, body=body)
        if ledger is not None:
            ledger.add_failure(note, final=_is_final_example())
        raise AssertionError(self.scrub(self.describe(note)))

    def failure(
        self,
        message: str,
        exchange: Exchange | None = None,
        violations: Sequence[Violation] = (),
        *,
        body: Any = NO_BODY,
    ) -> Failure:
        """A failure with its reproduction (request, response excerpt, curl), scrubbed."""
        ledger = ledgers.current()
        request_body = exchange.request_body if exchange is not None else None
        if body is not NO_BODY:
            request_body = body
        return Failure(
            message=self.scrub(message),
            request_body=request_body,
            response_status=exchange.status if exchange is not None else None,
            response_excerpt=self.scrub(excerpt(exchange)) if exchange is not None else "",
            violations=list(violations),
            curl=self.scrub(exchange.curl()) if exchange is not None else "",
            example=ledger.example if ledger is not None else None,
            inputs=list(ledger.inputs) if ledger is not None else [],
        )

    def describe(self, note: Failure) -> str:
        """A failure as the lines printed under the test: what, violations, response, curl."""
        return describe_failure(note, self.seed)

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
        message = message or f"{what} answered {exchange.answer}"
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
        """Record doc-silent behaviour of the server: an observation, never a failure.

        The check records each observation once: when it is already recorded, its detail (an
        excerpt of the answer, with credential-named fields masked) is not worked out again.
        """
        ledger = ledgers.current()
        if ledger is None:
            return
        message = self.scrub(message)
        if ledger.observed(spec_note, message):
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
                message,
                request_body,
                self.scrub(detail) if detail else None,
            )
        )
