"""The report treatment for ``campaign-contract validate``: one check per document."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from campaign_contract.report._html import render_html
from campaign_contract.report._model import (
    CheckResult,
    Failure,
    Observation,
    Outcome,
    RunRecord,
    as_violation,
)

EXCERPT_LIMIT = 2000


def document_name(document: Mapping[str, Any]) -> str:
    """``source`` alone, or ``source#entry`` for one entry of a capture."""
    source = str(document.get("source") or "<input>")
    entry = document.get("entry")
    return source if entry is None or entry == "" else f"{source}#{entry}"


def _excerpt(document: Mapping[str, Any]) -> str:
    body = document.get("document", document.get("body"))
    if body is None:
        return ""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return text if len(text) <= EXCERPT_LIMIT else text[:EXCERPT_LIMIT] + "…"


def record_from_validation(
    documents: Sequence[Mapping[str, Any]],
    *,
    title: str = "campaign-contract validate",
    settings: Mapping[str, Any] | None = None,
) -> RunRecord:
    """A record of ``validate`` results: each document (``source``, ``entry``, ``valid``,
    ``errors`` as :class:`Violation` objects or dicts) becomes a check, passed or failed.

    Warnings on a valid document become observations. Optional keys: ``kind`` (the check's
    family, e.g. ``voice``/``sms``/``request``), ``document`` (the body, for an excerpt).
    """
    record = RunRecord(target=None, settings=dict(settings or {}), title=title, kind="validation")
    for document in documents:
        name = document_name(document)
        violations = [as_violation(v) for v in document.get("errors") or []]
        valid = bool(document.get("valid", not any(v.severity == "error" for v in violations)))
        check = CheckResult(
            name=name,
            family=str(document.get("kind") or "validation"),
            outcome=Outcome.PASSED if valid else Outcome.FAILED,
            examples=1,
        )
        if not valid:
            errors = [v for v in violations if v.severity == "error"]
            check.failures.append(
                Failure(
                    message=f"{len(errors)} violation{'s' if len(errors) != 1 else ''} in {name}",
                    response_excerpt=_excerpt(document),
                    violations=violations,
                )
            )
        else:
            for v in violations:
                record.add_observation(
                    Observation(
                        check=v.check,
                        spec_note=None,
                        message=f"{name}: {v.pointer or '/'} {v.message}",
                    )
                )
        record.add_check(check)
    record.finish()
    return record


def validation_html(
    documents: Sequence[Mapping[str, Any]], *, title: str = "campaign-contract validate"
) -> str:
    """``report.html`` text for ``validate`` results (see :func:`record_from_validation`)."""
    return render_html(record_from_validation(documents, title=title))
