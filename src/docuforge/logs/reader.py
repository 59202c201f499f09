"""Reading a log file in any supported format: sniff it, stream it, one record at a time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from docuforge.logs import access, structured, syslog, timestamps
from docuforge.logs import text as plain
from docuforge.logs.records import LogFormat, Malformed, ParseOptions, Record
from docuforge.logs.streams import LogStream, head

Item = Record | Malformed
SNIFF_LINES = 50

# Tried in this order; on a tie the first wins (the stricter formats come first).
_LINE_FORMATS = (
    LogFormat.syslog_rfc5424,
    LogFormat.apache_combined,
    LogFormat.apache_common,
    LogFormat.syslog_rfc3164,
    LogFormat.jsonl,
    LogFormat.text,
    LogFormat.logfmt,
)


def _line_ok(fmt: LogFormat, number: int, line: str, zone: dt.tzinfo) -> bool:
    if fmt is LogFormat.jsonl:
        item = structured.jsonl_line(number, line.encode(), zone)
    elif fmt is LogFormat.logfmt:
        item = structured.logfmt_line(number, line, zone)
        return isinstance(item, Record) and len(item.attributes or {}) + 2 >= 3
    elif fmt is LogFormat.syslog_rfc3164:
        item = syslog.rfc3164_line(number, line, zone, 2000)
    elif fmt is LogFormat.syslog_rfc5424:
        item = syslog.rfc5424_line(number, line, zone)
    elif fmt is LogFormat.apache_common:
        item = access.access_line(number, line, combined=False)
        return isinstance(item, Record) and "user_agent" not in (item.attributes or {})
    elif fmt is LogFormat.apache_combined:
        item = access.access_line(number, line, combined=True)
    else:
        match = plain.text_line_start(line)
        return bool(match and timestamps.parse(match["ts"]))
    return isinstance(item, Record)


def _delimiter(lines: list[str]) -> str | None:
    """A header of names and rows of as many fields make a TSV (or CSV)."""
    if len(lines) < 2 or lines[0].lstrip().startswith(("{", "[")):
        return None
    for delimiter in ("\t", ","):
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        header = rows[0]
        if len(header) < 2 or not all(name and len(name) < 64 and not name[0].isdigit() for name in header):
            continue
        body = rows[1:]
        # A row cut at the sample's end, or malformed, may disagree: most agreeing is enough.
        if body and sum(len(row) == len(header) for row in body) >= 0.7 * len(body):
            return delimiter
    return None


def sniff(sample: bytes, zone: dt.tzinfo = timestamps.UTC) -> LogFormat:
    """The format the first lines are written in (text when nothing fits better)."""
    stripped = sample.lstrip()
    if stripped.startswith(b"["):
        after = stripped[1:].lstrip()
        if after.startswith((b"{", b"]")):
            return LogFormat.json_array
    lines = [line for line in sample.decode("utf-8", "replace").splitlines()[:SNIFF_LINES] if line.strip()]
    if len(sample) >= 64 * 1024 and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut in the middle
    if not lines:
        return LogFormat.text
    best, best_score = LogFormat.text, 0.0
    for fmt in _LINE_FORMATS:
        score = sum(_line_ok(fmt, number, line, zone) for number, line in enumerate(lines, 1)) / len(lines)
        if score > best_score + 1e-9:
            best, best_score = fmt, score
    if best_score >= 0.5 and best is not LogFormat.text:
        return best
    delimiter = _delimiter(lines)
    if delimiter is not None:
        return LogFormat.tsv if delimiter == "\t" else LogFormat.csv
    return best if best_score > 0 else LogFormat.text


def _line_based(stream: io.BufferedIOBase, options: ParseOptions, fmt: LogFormat, zone: dt.tzinfo):  # type: ignore[no-untyped-def]
    from docuforge.logs import streams

    year = options.year or dt.datetime.now(dt.UTC).year
    for number, data, cut in streams.lines(stream, options.max_line_bytes):  # type: ignore[arg-type]
        line = data.decode("utf-8", "replace")
        if cut:
            yield Malformed(number, f"line longer than {options.max_line_bytes} bytes", line[:2000])
            continue
        if fmt is LogFormat.syslog_rfc3164:
            item = syslog.rfc3164_line(number, line, zone, year)
        elif fmt is LogFormat.syslog_rfc5424:
            item = syslog.rfc5424_line(number, line, zone)
        else:
            item = access.access_line(number, line, combined=fmt is LogFormat.apache_combined)
        if item is not None:
            yield item


class LogReader:
    """Iterates a file's records and malformed lines; `fraction()` is the share of its bytes read."""

    def __init__(self, path: Path, options: ParseOptions | None = None) -> None:
        self.options = options or ParseOptions()
        self.path = path
        self.zone = timestamps.zone_of(self.options.default_timezone)
        fmt = self.options.format
        self.format = sniff(head(path), self.zone) if fmt is LogFormat.auto else fmt
        self._stream = LogStream(path)
        self.compression = self._stream.compression
        self.records = 0
        self.malformed = 0

    def fraction(self) -> float:
        return self._stream.fraction()

    @property
    def bytes_read(self) -> int:
        return self._stream.bytes_read

    @property
    def stream(self) -> io.BufferedIOBase:
        """The decompressed bytes, for a reader that takes them whole (jsonl_columnar)."""
        return self._stream.stream  # type: ignore[return-value]

    def close(self) -> None:
        self._stream.close()

    def _items(self) -> Iterator[Item]:
        stream, options, zone, fmt = self._stream.stream, self.options, self.zone, self.format
        if fmt is LogFormat.jsonl:
            return structured.jsonl(stream, options, zone)
        if fmt is LogFormat.json_array:
            return structured.json_array(stream, options, zone)
        if fmt is LogFormat.logfmt:
            return structured.logfmt(stream, options, zone)
        if fmt in (LogFormat.csv, LogFormat.tsv):
            return structured.delimited(stream, options, zone, "\t" if fmt is LogFormat.tsv else ",")
        if fmt is LogFormat.text:
            return plain.text(stream, options, zone)
        return _line_based(stream, options, fmt, zone)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Item]:
        try:
            for item in self._items():
                if type(item) is Record:
                    self.records += 1
                else:
                    self.malformed += 1
                yield item
        finally:
            self._stream.close()


def read(path: str | Path, options: ParseOptions | None = None) -> LogReader:
    """Stream a log file's records (and its malformed lines) in the given or sniffed format."""
    return LogReader(Path(path), options)
