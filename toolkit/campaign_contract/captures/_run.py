"""Validating captured documents: one at a time, or a whole set of inputs, as data.

:func:`validate_document` is the single place where one :class:`Document` becomes a
:class:`DocumentResult`; :func:`validate_inputs` streams results for files, directories and
stdin; :func:`validate_paths` collects them. Nothing here prints.

What a document is checked against:

- a plain JSON/JSONL response: the success schema of its campaign type (``campaign_type``,
  else detected); a body with ``"status": "error"`` and no ``data`` is an error response and
  is checked against the error schema;
- a HAR entry: its request body against the request schema (check ``request-schema``,
  pointers into the *request* body); a 2xx response body against the success schema of the
  requested type (the request body's ``type`` wins over ``campaign_type``); a 4xx/5xx body
  against the error schema (check ``error-schema``), a 5xx also being a ``server-error``;
  then the pair goes to :func:`campaign_contract.oracles.check_pair` when that exists.

A plain JSON/JSONL document that is a request body (an object with ``type`` and only request
fields, no ``data`` or ``status``) is checked against the request schema instead (check
``request-schema``) and counted as a request body. A plain response, whose request is not known,
is also held to what holds for every request (:data:`STANDALONE_CHECKS`: ``hasMore``,
``totalPages``, ``len(results) <= data.limit``, ``totalResults >= skip + len(results)``).

An input that cannot be read or parsed is a violation with check ``input`` and pointer ``""``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from campaign_contract._json import describe_value, parse_json
from campaign_contract.captures._documents import Document, ReadStats
from campaign_contract.captures._inputs import iter_documents
from campaign_contract.client._exchange import error_envelope
from campaign_contract.validation._schemas import Profile
from campaign_contract.validation._validators import (
    CAMPAIGN_TYPES,
    UNDETECTED,
    CampaignType,
    Detection,
    detect_and_validate,
    validate_error,
    validate_request,
    validate_response,
)
from campaign_contract.validation._violations import Violation

MAX_MESSAGE = 500
STANDALONE_CHECKS = ("has-more", "total-pages", "page-size", "total-results")
"""The pair checks that hold for a response whatever was asked: a page's own arithmetic."""
REQUEST = "request"
RESPONSE = "response"
_RESPONSE_KEYS = frozenset({"data", "status", "message"})

PairChecker = Callable[..., list[Violation]]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The verdict on one document: where it came from and what is wrong with it."""

    source: str
    entry: int | None
    violations: tuple[Violation, ...] = ()
    kind: str = RESPONSE
    """What was checked: ``response`` (with its request, in a HAR) or a ``request`` body alone."""

    @property
    def valid(self) -> bool:
        """No violation of severity ``error`` (warnings do not fail a document)."""
        return not any(v.severity == "error" for v in self.violations)

    @property
    def errors(self) -> int:
        return sum(1 for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.violations) - self.errors

    def as_dict(self) -> dict[str, Any]:
        """The document's entry in ``validate --format json`` output."""
        return {
            "source": self.source,
            "entry": self.entry,
            "kind": self.kind,
            "valid": self.valid,
            "errors": [v.as_dict() for v in self.violations],
        }


@dataclass
class Totals:
    """Running counts over a validation run."""

    documents: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    requests: int = 0
    """Documents that were request bodies, checked against the request schema."""
    read: ReadStats = field(default_factory=ReadStats)

    @property
    def ok(self) -> bool:
        return self.invalid == 0

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        if not result.violations:  # most documents: nothing to count but the document
            self.valid += 1
            self.requests += result.kind == REQUEST
            return
        if result.valid:
            self.valid += 1
        else:
            self.invalid += 1
        self.errors += result.errors
        self.warnings += result.warnings
        self.requests += result.kind == REQUEST


@dataclass
class ValidationRun:
    """Every result of a run plus the totals (see :func:`validate_paths`)."""

    results: list[DocumentResult]
    totals: Totals

    @property
    def ok(self) -> bool:
        return self.totals.ok

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "documents": [r.as_dict() for r in self.results]}


def pair_checker() -> PairChecker:
    """The semantic pair check, imported only when a capture holds a request to judge."""
    from campaign_contract.oracles import check_pair

    return check_pair


def _bounded(violation: Violation) -> Violation:
    if len(violation.message) <= MAX_MESSAGE:
        return violation
    cut = violation.message[:MAX_MESSAGE].rstrip()
    message = f"{cut}… ({len(violation.message)} characters in all)"
    return Violation(violation.pointer, message, violation.check, violation.severity)


def _not_an_object(value: Any, what: str, check: str) -> Violation:
    return Violation("", f"the {what} is not a JSON object (it is {describe_value(value)})", check)


def _check_request(body: bytes | None, profile: Profile) -> tuple[Any, list[Violation]]:
    if body is None:
        return None, [
            Violation(
                "", "the capture holds no request body; request not checked", "input", "warning"
            )
        ]
    value, problem = parse_json(body)
    if problem is not None:
        return None, [Violation("", f"request body: {problem}", "request-schema")]
    if not isinstance(value, dict):
        return None, [_not_an_object(value, "request body", "request-schema")]
    return value, validate_request(value, profile)


def _requested_type(request: Any, fallback: CampaignType | None) -> CampaignType | None:
    requested = request.get("type") if isinstance(request, dict) else None
    for kind in CAMPAIGN_TYPES:
        if requested == kind:
            return kind
    return fallback


def _check_response(
    value: Any, status: int | None, kind: CampaignType | None, profile: Profile
) -> tuple[list[Violation], Detection]:
    """The response's violations, and its detected type when ``kind`` is not known (the
    type is detected once, for the schema and the pair checks alike)."""
    if status is not None and status >= 400:
        found = []
        if status >= 500:
            found.append(Violation("", f"the server answered HTTP {status}", "server-error"))
        if not isinstance(value, dict):
            return [*found, _not_an_object(value, "error body", "error-schema")], UNDETECTED
        return found + validate_error(value), UNDETECTED
    if status is not None and not 200 <= status < 300:
        message = f"unexpected HTTP status {status}; body not checked"
        return [Violation("", message, "unexpected-status", "warning")], UNDETECTED
    if (status is None or 200 <= status < 300) and error_envelope(value):
        # a refusal in the body, under a 2xx or with no status captured (S-46)
        return validate_error(value), UNDETECTED
    if not isinstance(value, dict):
        message = f"the document is not a response object (it is {describe_value(value)})"
        return [Violation("", message, "schema")], UNDETECTED
    if kind is None:
        detected, found = detect_and_validate(value, profile)
        return found, detected
    return validate_response(value, kind, profile), UNDETECTED


def _check(
    document: Document, campaign_type: CampaignType | None, profile: Profile
) -> tuple[list[Violation], str]:
    """The violations of ``document`` and what it is (:data:`REQUEST` or :data:`RESPONSE`)."""
    found: list[Violation] = []
    request: Any = None
    status = document.status
    if document.request is not None:
        request, request_violations = _check_request(document.request.body, profile)
        found += request_violations
    if document.problem is not None:
        found.append(Violation("", document.problem, "input"))
    if document.body is None:
        return found, REQUEST if document.request is not None else RESPONSE
    value, problem = parse_json(document.body)
    if problem is not None:
        if status is None:
            found.append(Violation("", problem, "input"))
        else:
            check = "schema" if status < 400 else "error-schema"
            if status >= 500:
                found.append(Violation("", f"the server answered HTTP {status}", "server-error"))
            found.append(Violation("", f"response body: {problem}", check))
        return found, RESPONSE
    kind = _requested_type(request, campaign_type)
    if document.request is None and status is None and is_request_body(value):
        return found + validate_request(value, profile), REQUEST
    response_violations, detected = _check_response(value, status, kind, profile)
    found += response_violations
    if isinstance(request, dict) and isinstance(value, dict):
        found += pair_checker()(request, value, kind, status_code=status, detected=detected)
    elif document.request is None and isinstance(value, dict) and "data" in value:
        found += pair_checker()(
            {}, value, kind, status_code=status, checks=STANDALONE_CHECKS, detected=detected
        )
    return found, RESPONSE


def is_request_body(value: Any) -> bool:
    """True for a request body on its own: an object with ``type`` and no response member."""
    return isinstance(value, dict) and "type" in value and not _RESPONSE_KEYS & value.keys()


def validate_document(
    document: Document,
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
) -> DocumentResult:
    """Check one document; never raises for anything the document holds."""
    kind = RESPONSE
    try:
        found, kind = _check(document, campaign_type, profile)
    except RecursionError:
        found = [Violation("", "the document is nested too deeply to check", "input")]
    except Exception as error:  # a bug must not hide the other documents' results
        message = f"could not check this document ({type(error).__name__}: {error})"
        found = [Violation("", message, "internal")]
    violations = tuple(_bounded(v) for v in found)
    return DocumentResult(document.source, document.entry, violations, kind)


def validate_documents(
    documents: Iterable[Document],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
) -> Iterator[DocumentResult]:
    """:func:`validate_document` over a stream of documents, lazily, in order."""
    for document in documents:
        yield validate_document(document, campaign_type, profile)


def validate_inputs(
    paths: Iterable[str],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
    *,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
) -> Iterator[DocumentResult]:
    """Read and check every document in ``paths`` (files, directories, ``-``), streamed."""
    documents = iter_documents(paths, stdin=stdin, stats=stats)
    return validate_documents(documents, campaign_type, profile)


def validate_paths(
    paths: Iterable[str],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
    *,
    stdin: BinaryIO | None = None,
) -> ValidationRun:
    """Like :func:`validate_inputs` but collects every result (for small inputs and tests)."""
    totals = Totals()
    results = []
    for result in validate_inputs(paths, campaign_type, profile, stdin=stdin, stats=totals.read):
        totals.add(result)
        results.append(result)
    return ValidationRun(results, totals)
