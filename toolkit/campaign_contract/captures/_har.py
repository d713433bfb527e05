"""Streaming HAR 1.2 reader: entries one at a time, credentials dropped where they are read.

The file is never loaded whole. A small scanner walks the top-level object and ``log`` with
:meth:`json.JSONDecoder.raw_decode` over a sliding text buffer, yielding each element of
``log.entries`` as soon as it is complete; memory is bounded by the largest single entry.
Only entries whose request URL path ends with ``/getAllCampaignDetails`` become documents.
Of each, only the method, the URL and the headers (credential values masked by name, see
``campaign_contract._secrets``), the request body, the status and the response body are kept;
cookies are dropped.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson

from campaign_contract._json import lenient_int
from campaign_contract._secrets import mask_pairs, mask_url
from campaign_contract.captures._documents import CapturedRequest, Document, ReadStats

ENDPOINT_SUFFIX = "/getAllCampaignDetails"

_CHUNK = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_int=lenient_int)


class HarError(Exception):
    """The file is not a HAR, or stops being one part-way (the message says which)."""


def is_endpoint(url: str) -> bool:
    """Whether a request URL is the getAllCampaignDetails endpoint."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return path.rstrip("/").endswith(ENDPOINT_SUFFIX)


class _Scanner:
    """Pulls JSON values out of a text stream one at a time with a bounded buffer."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self._buffer = ""
        self._pos = 0
        self._discarded = 0
        self._eof = False

    @property
    def offset(self) -> int:
        return self._discarded + self._pos

    def _fill(self, wanted: int) -> bool:
        if self._eof:
            return False
        raw = self._stream.read(max(_CHUNK, wanted))
        try:
            text = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as error:
            raise HarError(f"not UTF-8 text near character {self.offset}: {error.reason}") from None
        if not raw:
            self._eof = True
        self._discarded += self._pos
        self._buffer = self._buffer[self._pos :] + text
        self._pos = 0
        return True

    def peek(self) -> str:
        """The next non-whitespace character (not consumed), or ``""`` at the end."""
        while True:
            match = _WHITESPACE.match(self._buffer, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill(0):
                return ""

    def take(self, expected: str, where: str, alternative: str = "") -> None:
        found = self.peek()
        if found != expected:
            if not found:
                raise HarError(f"the file ends inside {where} (truncated?)")
            wanted = f"{alternative!r} or {expected!r}" if alternative else repr(expected)
            raise HarError(f"expected {wanted} in {where} at character {self.offset}")
        self._pos += 1

    def value(self, where: str) -> Any:
        """Decode the next complete JSON value, reading more text as needed."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._fill(len(self._buffer) - self._pos):
                    continue
                if self._truncated():
                    raise HarError(f"the file ends inside {where} (truncated?)") from None
                offset = self._discarded + error.pos
                message = f"not valid JSON in {where} at character {offset}: {error.msg}"
                raise HarError(message) from None
            except RecursionError:
                raise HarError(f"{where} is nested too deeply to read") from None
            if end == len(self._buffer) and not self._eof and self._fill(0):
                continue
            self._pos = end
            return value

    def _truncated(self) -> bool:
        tail = self._buffer[self._pos :].encode("utf-8", "surrogatepass")
        try:
            orjson.loads(tail)
        except orjson.JSONDecodeError as error:
            return error.msg.startswith("unexpected end of data")
        return False

    def _items(self, opening: str, closing: str, where: str) -> Iterator[None]:
        """Step through the object or array starting here: once per item, which the caller
        reads before asking for the next."""
        self.take(opening, where)
        if self.peek() == closing:
            self._pos += 1
            return
        while True:
            yield None
            if self.peek() == ",":
                self._pos += 1
                continue
            self.take(closing, where, ",")
            return

    def members(self, where: str) -> Iterator[str]:
        """The keys of the object starting here; the caller consumes each value."""
        for _ in self._items("{", "}", where):
            key = self.value(where)
            if not isinstance(key, str):
                raise HarError(f"expected a key in {where} at character {self.offset}")
            self.take(":", where)
            yield key

    def elements(self, where: str) -> Iterator[Any]:
        for _ in self._items("[", "]", where):
            yield self.value(where)


def har_entries(stream: BinaryIO) -> Iterator[Any]:
    """The elements of ``log.entries``, streamed; raises :class:`HarError` on a broken file."""
    scanner = _Scanner(stream)
    if scanner.peek() != "{":
        raise HarError("not a HAR file: the top level is not a JSON object")
    found_log = found_entries = False
    for key in scanner.members("the HAR"):
        if key != "log" or found_log:
            scanner.value("the HAR")
            continue
        found_log = True
        if scanner.peek() != "{":
            raise HarError('not a HAR file: "log" is not an object')
        for log_key in scanner.members('"log"'):
            if log_key != "entries" or found_entries:
                scanner.value('"log"')
                continue
            found_entries = True
            if scanner.peek() != "[":
                raise HarError('not a HAR file: "log.entries" is not an array')
            yield from scanner.elements('"log.entries"')
    if not found_log:
        raise HarError('not a HAR file: no top-level "log" object')
    if not found_entries:
        raise HarError('HAR holds no entries: "log" has no "entries" array')


def _text_bytes(holder: Any, what: str) -> tuple[bytes | None, str | None]:
    """The bytes of a HAR ``postData``/``content`` text (base64 decoded), or a problem."""
    text = holder.get("text") if isinstance(holder, dict) else None
    if text is None:
        return None, None
    if not isinstance(text, str):
        return None, f"{what} text is not a string"
    if holder.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True), None
        except (binascii.Error, ValueError):
            return None, f"{what} is marked base64 but is not valid base64"
    return text.encode("utf-8", "surrogatepass"), None


def entry_document(source: str, index: int, entry: Any) -> Document | None:
    """The document for one HAR entry, or ``None`` when it is not a getAllCampaignDetails call."""
    request = entry.get("request") if isinstance(entry, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    if not isinstance(request, dict) or not isinstance(url, str) or not is_endpoint(url):
        return None
    request_body, request_problem = _text_bytes(request.get("postData"), "request body")
    captured = CapturedRequest(
        method=str(request.get("method", "")),
        url=mask_url(url),
        headers=mask_pairs(request.get("headers")),
        body=request_body,
    )
    response = entry.get("response")
    status = response.get("status") if isinstance(response, dict) else None
    if not isinstance(response, dict):
        return Document(source, index, None, "entry has no response", request=captured)
    if not isinstance(status, int) or isinstance(status, bool):
        return Document(source, index, None, "response has no numeric status", request=captured)
    if status == 0:
        aborted = "no response was recorded (status 0: aborted or blocked)"
        return Document(source, index, None, aborted, status=status, request=captured)
    body, problem = _text_bytes(response.get("content"), "response body")
    if body is None and problem is None:
        problem = "the capture holds no response body (content.text is missing)"
    return Document(
        source, index, body, problem or request_problem, status=status, request=captured
    )


def read_har(source: str, stream: BinaryIO, stats: ReadStats, skip: int = 0) -> Iterator[Document]:
    """One document per getAllCampaignDetails entry; a problem document for a broken HAR,
    one without entries, or one without any getAllCampaignDetails entry. Other entries are
    counted in ``stats.ignored_entries``. The first ``skip`` entries were read before (by a
    split run that stopped at a broken part): they are neither yielded nor counted again."""
    total = matched = 0
    try:
        for index, entry in enumerate(har_entries(stream)):
            total += 1
            document = entry_document(source, index, entry)
            matched += document is not None
            if index < skip:
                continue
            if document is None:
                stats.ignored_entries += 1
                continue
            yield document
    except HarError as error:
        detail = f" (after reading {total} {'entry' if total == 1 else 'entries'})" if total else ""
        yield Document(source, None, None, f"{error}{detail}")
        return
    empty = without_endpoint(source, total, matched)
    if empty is not None:
        yield empty


def without_endpoint(source: str, total: int, matched: int) -> Document | None:
    """The problem of a whole HAR with no entry, or no getAllCampaignDetails entry, else None."""
    if total == 0:
        return Document(source, None, None, "HAR holds no entries")
    if matched == 0:
        return Document(
            source, None, None, f"HAR holds no getAllCampaignDetails entries among its {total}"
        )
    return None
