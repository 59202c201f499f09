"""Read a multipart/form-data upload as a stream: the file's bytes go to storage as they arrive.

Starlette's form parser spools files to temporary files first; for multi-gigabyte uploads that
doubles the disk traffic. Here the one file part is handed on chunk by chunk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from docuforge.errors import InvalidRequest


@dataclass
class _Event:
    kind: str  # "headers" | "data" | "end"
    data: bytes = b""
    name: str = ""
    filename: str | None = None


class MultipartStream:
    def __init__(self, request: Request) -> None:
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        boundary = params.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise InvalidRequest("expected a multipart/form-data body with a boundary")
        self._body = request.stream().__aiter__()
        self._events: deque[_Event] = deque()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._finished = False
        self._complete = False
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": lambda data, start, end: self._add_field(data[start:end]),
                "on_header_value": lambda data, start, end: self._add_value(data[start:end]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": lambda data, start, end: self._events.append(_Event("data", data[start:end])),
                "on_part_end": lambda: self._events.append(_Event("end")),
                "on_end": self._body_end,
            },
        )

    def _body_end(self) -> None:
        self._complete = True

    def _part_begin(self) -> None:
        self._headers = {}

    def _add_field(self, data: bytes) -> None:
        self._header_field += data

    def _add_value(self, data: bytes) -> None:
        self._header_value += data

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._events.append(
            _Event(
                "headers",
                name=name,
                filename=filename.decode("utf-8", "replace") if filename is not None else None,
            )
        )

    async def _next(self) -> _Event | None:
        while not self._events:
            if self._finished:
                return None
            try:
                chunk = await self._body.__anext__()
            except StopAsyncIteration:
                self._finished = True
                self._parser.finalize()
                continue
            try:
                self._parser.write(chunk)
            except Exception as error:  # python-multipart raises its own errors for malformed bodies
                raise InvalidRequest(f"malformed multipart body: {error}") from None
        return self._events.popleft()

    async def file(self, field: str) -> tuple[str | None, AsyncIterator[bytes]] | None:
        """Skip to the part named `field`; its filename and a stream of its bytes, or None."""
        while (event := await self._next()) is not None:
            if event.kind == "headers" and event.name == field:
                return event.filename, self._part_data()
        return None

    async def _part_data(self) -> AsyncIterator[bytes]:
        while (event := await self._next()) is not None and event.kind != "end":
            if event.kind == "data" and event.data:
                yield event.data
        # A part is whole only once the body's closing boundary arrives: a body cut short (a
        # dropped connection, a client that stopped) ends the stream with an error, so the
        # store discards what it wrote instead of keeping a truncated file.
        while await self._next() is not None:
            pass
        if not self._complete:
            raise InvalidRequest("the multipart body ended before its closing boundary")
