# ruff: noqa: E501 - log samples are long lines by nature
"""Every format on realistic samples, malformed lines included; compression; auto sniffing."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
import zstandard

from docuforge.logs import levels, timestamps
from docuforge.logs.reader import read, sniff
from docuforge.logs.records import LogFormat, Malformed, ParseOptions, Record, log_format

JSONL = """\
{"@timestamp":"2026-03-01T10:00:00.123Z","log.level":"INFO","message":"server started","service.name":"api","host":{"name":"web-1"},"port":8080}
{"time":"2026-03-01T12:00:01+02:00","level":"warning","msg":"slow query","logger":"db.pool","duration_ms":1532,"query":{"table":"users"}}
{"ts":1772359202.5,"level":50,"msg":"payment failed","service":"billing","hostname":"pay-2","order_id":"A-1"}

not json at all
[1,2,3]
{"timestamp":"yesterday","severity":"CRITICAL","message":"disk full","host":"db-1"}
{"timestamp":"2026-03-01 10:00:04,250","levelname":"DEBUG","name":"app.worker","event":"tick"}
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def split(items: list) -> tuple[list[Record], list[Malformed]]:
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Malformed)]


def test_json_lines(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "app.log", JSONL))
    assert reader.format is LogFormat.jsonl
    records, bad = split(list(reader))
    assert [r.line for r in records] == [1, 2, 3, 7, 8]
    first, second, third, fourth, fifth = records
    assert first.timestamp == dt.datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=dt.UTC)
    assert (first.zone, first.level, first.message, first.service, first.host) == (
        "Z", "info", "server started", "api", "web-1",
    )  # fmt: skip
    assert first.attributes == {"port": 8080}
    assert second.timestamp == dt.datetime(2026, 3, 1, 10, 0, 1, tzinfo=dt.UTC)
    assert second.zone == "+02:00" and second.level == "warn" and second.logger == "db.pool"
    assert second.attributes == {"duration_ms": 1532, "query": {"table": "users"}}
    assert third.level == "error" and third.host == "pay-2" and third.timestamp.year == 2026
    assert third.timestamp.microsecond == 500000
    # An unreadable timestamp is kept as an attribute, the record is not lost.
    assert (
        fourth.timestamp is None
        and fourth.level == "fatal"
        and fourth.attributes == {"_timestamp": "yesterday"}
    )
    assert fifth.level == "debug" and fifth.logger == "app.worker" and fifth.message == "tick"
    assert fifth.zone is None and fifth.timestamp == dt.datetime(2026, 3, 1, 10, 0, 4, 250000, tzinfo=dt.UTC)
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [
        (5, "invalid JSON"),
        (6, "a JSON value that is not an object"),
    ]
    assert bad[0].raw == "not json at all"
    assert (reader.records, reader.malformed) == (5, 2)
    assert reader.fraction() == 1.0


def test_json_array_streamed_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docuforge.logs import streams

    monkeypatch.setattr(streams, "READ_SIZE", 7)  # elements, strings and escapes cut across reads
    body = json.dumps(
        [
            {"time": "2026-03-01T10:00:00Z", "level": "info", "message": 'a "quoted" } brace', "n": 1},
            {
                "time": "2026-03-01T10:00:01Z",
                "level": "ERROR",
                "message": "back\\slash\\",
                "tags": [1, {"x": "]"}],
            },
        ],
        indent=2,
    )
    path = write(
        tmp_path,
        "events.json",
        body[:-1] + ',\n  {"level": "info", "message": broken},\n  {"message": "last"}\n]',
    )
    reader = read(path)
    assert reader.format is LogFormat.json_array
    records, bad = split(list(reader))
    assert [r.message for r in records] == ['a "quoted" } brace', "back\\slash\\", "last"]
    assert records[1].attributes == {"tags": [1, {"x": "]"}]}
    assert records[0].line == 2 and records[0].end_line == 7
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [(20, "invalid JSON")]


def test_json_array_truncated(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.json", '[{"message": "one"}, {"message": "tw')
    records, bad = split(list(read(path, ParseOptions(format=LogFormat.json_array))))
    assert [r.message for r in records] == ["one"]
    assert bad[0].reason == "the array ends inside an element"


LOGFMT = """\
time=2026-03-01T10:00:00Z level=info msg="request served" method=GET path=/api/v1/users status=200 duration=12ms
time=2026-03-01T10:00:01Z level=error msg="upstream \\"auth\\" timed out" service=gateway err="context deadline exceeded"
this line is just prose without pairs
ts=2026-03-01T10:00:02.5+01:00 lvl=DBG caller=main.go:42 msg=tick
"""


def test_logfmt(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "gw.log", LOGFMT))
    assert reader.format is LogFormat.logfmt
    records, bad = split(list(reader))
    assert records[0].message == "request served"
    assert records[0].attributes == {
        "method": "GET",
        "path": "/api/v1/users",
        "status": "200",
        "duration": "12ms",
    }
    assert records[1].message == 'upstream "auth" timed out' and records[1].service == "gateway"
    assert records[1].level == "error"
    assert records[2].level == "debug" and records[2].zone == "+01:00" and records[2].timestamp.hour == 9
    assert [(b.line, b.reason) for b in bad] == [(3, "not key=value pairs")]


CSV = """\
timestamp,level,service,message,user_id
2026-03-01T10:00:00Z,INFO,auth,"login ok, via SSO",42
2026-03-01T10:00:01Z,ERROR,auth,"multi
line message",43
2026-03-01T10:00:02Z,WARN,auth
2026-03-01T10:00:03Z,Warning,billing,retrying,
"""


def test_csv_and_tsv(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "export.csv", CSV))
    assert reader.format is LogFormat.csv
    records, bad = split(list(reader))
    assert [(r.line, r.end_line, r.level) for r in records] == [
        (2, 2, "info"),
        (3, 4, "error"),
        (6, 6, "warn"),
    ]
    assert records[0].message == "login ok, via SSO" and records[0].attributes == {"user_id": "42"}
    assert records[1].message == "multi\nline message"
    assert records[2].attributes is None  # the empty cell is no attribute
    assert [(b.line, b.reason) for b in bad] == [(5, "3 fields where the header has 5")]
    tsv = (
        "time\tseverity\thost\tmsg\n2026-03-01 10:00:00\terr\tdb-1\tdeadlock detected\nbad\trow\n"
        "2026-03-01 10:00:01\tinfo\tdb-1\tcheckpoint\n2026-03-01 10:00:02\tinfo\tdb-2\tvacuum\n"
    )
    reader = read(write(tmp_path, "x.tsv", tsv))
    assert reader.format is LogFormat.tsv
    records, bad = split(list(reader))
    assert (
        records[0].host == "db-1"
        and records[0].level == "error"
        and records[0].message == "deadlock detected"
    )
    assert len(bad) == 1 and bad[0].line == 3 and len(records) == 3


RFC3164 = """\
<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8
Mar  1 06:25:01 web-1 CRON[12345]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
Mar  1 06:25:03 web-1 kernel: [12345.678] error: EXT4-fs error (device sda1)
garbage that is not syslog
"""


def test_syslog_rfc3164(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "syslog", RFC3164), ParseOptions(year=2026))
    assert reader.format is LogFormat.syslog_rfc3164
    records, bad = split(list(reader))
    su, cron, kernel = records
    assert su.timestamp == dt.datetime(2026, 10, 11, 22, 14, 15, tzinfo=dt.UTC)
    assert (su.level, su.host, su.service) == ("fatal", "mymachine", "su")  # <34>: auth.crit
    assert su.attributes == {"facility": "auth", "severity": 2}
    assert cron.service == "CRON" and cron.attributes == {"pid": "12345"} and cron.level is None
    assert cron.timestamp == dt.datetime(2026, 3, 1, 6, 25, 1, tzinfo=dt.UTC)
    assert kernel.service == "kernel" and kernel.message.startswith("[12345.678]")
    assert bad[0].line == 4
    # A zone for the zoneless syslog clock.
    records, _ = split(
        list(read(tmp_path / "syslog", ParseOptions(year=2026, default_timezone="Europe/Paris")))
    )
    assert records[1].timestamp == dt.datetime(2026, 3, 1, 5, 25, 1, tzinfo=dt.UTC)


RFC5424 = """\
<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \ufeffAn application event log entry...
<11>1 2026-03-01T10:00:00.000+01:00 db-1 postgres 4242 - - connection reset by peer
<13>1 - - - - - -
<999>1 nonsense
"""


def test_syslog_rfc5424(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "rfc5424.log", RFC5424))
    assert reader.format is LogFormat.syslog_rfc5424
    records, bad = split(list(reader))
    event, pg, empty = records
    assert event.level == "info" and event.service == "evntslog" and event.host == "mymachine.example.com"
    assert event.message == "An application event log entry..."
    assert event.attributes == {
        "facility": "local4",
        "severity": 5,
        "msgid": "ID47",
        "exampleSDID@32473": {"iut": "3", "eventSource": "Application", "eventID": "1011"},
    }
    assert pg.level == "error" and pg.zone == "+01:00" and pg.timestamp.hour == 9
    assert pg.attributes == {"facility": "user", "severity": 3, "procid": "4242"}
    assert empty.timestamp is None and empty.message == ""
    assert [b.line for b in bad] == [4]


COMMON = """\
127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326
10.0.0.2 - - [01/Mar/2026:10:00:00 +0000] "POST /api/login HTTP/1.1" 401 -
10.0.0.3 - - [01/Mar/2026:10:00:01 +0000] "GET /boom HTTP/1.1" 502 17
"""
COMBINED = """\
203.0.113.9 - - [01/Mar/2026:10:00:00 +0100] "GET /index.html HTTP/2.0" 200 5120 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"
203.0.113.9 - - [01/Mar/2026:10:00:01 +0100] "GET /missing HTTP/2.0" 404 153 "-" "curl/8.5.0" 0.002
203.0.113.9 - - [32/Foo/2026:10:00:01 +0100] "GET / HTTP/2.0" 200 1 "-" "x"
"""


def test_access_logs(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "access.log", COMMON))
    assert reader.format is LogFormat.apache_common
    records, bad = split(list(reader))
    assert not bad
    assert records[0].timestamp == dt.datetime(2000, 10, 10, 20, 55, 36, tzinfo=dt.UTC)
    assert records[0].zone == "-07:00" and records[0].message == "GET /apache_pb.gif HTTP/1.0"
    assert records[0].attributes == {
        "client_ip": "127.0.0.1", "method": "GET", "path": "/apache_pb.gif", "protocol": "HTTP/1.0",
        "status": 200, "bytes": 2326, "user": "frank",
    }  # fmt: skip
    assert [r.level for r in records] == ["info", "warn", "error"]
    reader = read(write(tmp_path, "nginx.log", COMBINED))
    assert reader.format is LogFormat.apache_combined
    records, bad = split(list(reader))
    assert records[0].attributes["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64)"
    assert records[0].attributes["referer"] == "https://example.com/" and records[0].zone == "+01:00"
    assert records[1].attributes["extra"] == "0.002" and "referer" not in records[1].attributes
    assert [(b.line, b.reason) for b in bad] == [(3, "invalid access log time")]
    # A common line read as combined is malformed, with the reason.
    _, bad = split(list(read(tmp_path / "access.log", ParseOptions(format=LogFormat.apache_combined))))
    assert len(bad) == 3 and "user agent" in bad[0].reason


TEXT = """\
orphan line before any record
2026-03-01 10:00:00,123 INFO  [main] com.example.App - Starting application v1.2.3
2026-03-01 10:00:01,456 ERROR [http-nio-8080-exec-1] com.example.web.Handler - Request failed
java.lang.IllegalStateException: boom
\tat com.example.web.Handler.handle(Handler.java:42)
\tat java.base/java.lang.Thread.run(Thread.java:833)

2026-03-01T10:00:02.5+02:00 WARNING app.worker: queue is 90% full
2026-03-01 10:00:03 - urllib3.connectionpool - DEBUG - Starting new HTTPS connection (1): example.com:443
1772359204 something with an epoch
2026-03-01T10:00:05Z plain message without level
"""


def test_plain_text_with_stack_traces(tmp_path: Path) -> None:
    reader = read(write(tmp_path, "app.log", TEXT))
    assert reader.format is LogFormat.text
    records, bad = split(list(reader))
    assert [(b.line, b.reason) for b in bad] == [(1, "no leading timestamp")]
    start, failed, full, debug, epoch, bare = records
    assert (start.level, start.logger, start.attributes, start.message) == (
        "info", "com.example.App", {"thread": "main"}, "Starting application v1.2.3",
    )  # fmt: skip
    assert start.timestamp == dt.datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=dt.UTC) and start.zone is None
    assert failed.level == "error" and (failed.line, failed.end_line) == (3, 7)
    assert failed.message.splitlines() == [
        "Request failed",
        "java.lang.IllegalStateException: boom",
        "\tat com.example.web.Handler.handle(Handler.java:42)",
        "\tat java.base/java.lang.Thread.run(Thread.java:833)",
    ]
    assert (full.level, full.logger, full.zone, full.timestamp.hour) == ("warn", "app.worker", "+02:00", 8)
    assert (debug.level, debug.logger) == ("debug", "urllib3.connectionpool")
    assert debug.message == "Starting new HTTPS connection (1): example.com:443"
    assert epoch.timestamp == dt.datetime.fromtimestamp(1772359204, dt.UTC) and epoch.level is None
    assert epoch.message == "something with an epoch"
    assert bare.level is None and bare.message == "plain message without level"


def test_compressed_streams_and_progress(tmp_path: Path) -> None:
    raw = (JSONL * 200).encode()
    for name, data in (
        ("a.log.gz", gzip.compress(raw)),
        ("a.log.zst", zstandard.ZstdCompressor().compress(raw)),
    ):
        reader = read(write(tmp_path, name, data))
        assert reader.format is LogFormat.jsonl
        seen = 0
        fractions = []
        for _ in reader:
            seen += 1
            fractions.append(reader.fraction())
        assert seen == 7 * 200 and reader.records == 1000 and reader.malformed == 400
        assert fractions[-1] == 1.0 and fractions == sorted(fractions)
        assert reader.compression == name.rsplit(".", 1)[1].replace("gz", "gzip").replace("zst", "zstd")


def test_overlong_lines_are_cut_not_held(tmp_path: Path) -> None:
    line = '{"message": "' + "x" * 5000 + '"}\n'
    path = write(tmp_path, "long.log", line + '{"message": "short"}\n')
    records, bad = split(list(read(path, ParseOptions(format=LogFormat.jsonl, max_line_bytes=1024))))
    assert [r.message for r in records] == ["short"] and records[0].line == 2
    assert bad[0].line == 1 and "longer than 1024" in bad[0].reason and len(bad[0].raw) <= 2000


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (JSONL, LogFormat.jsonl),
        ('[\n  {"a": 1}\n]', LogFormat.json_array),
        (LOGFMT, LogFormat.logfmt),
        (CSV, LogFormat.csv),
        (RFC3164, LogFormat.syslog_rfc3164),
        (RFC5424, LogFormat.syslog_rfc5424),
        (COMMON, LogFormat.apache_common),
        (COMBINED, LogFormat.apache_combined),
        (TEXT, LogFormat.text),
        ("", LogFormat.text),
    ],
)
def test_sniff(sample: str, expected: LogFormat) -> None:
    assert sniff(sample.encode()) is expected


def test_levels_and_names() -> None:
    spelled = [
        "TRACE",
        "dbg",
        "Information",
        "notice",
        "WARNING",
        "wrn",
        "Err",
        "SEVERE",
        "crit",
        "EMERG",
        "panic",
    ]
    assert [levels.normalize(s) for s in spelled] == [
        "trace", "debug", "info", "info", "warn", "warn", "error", "error", "fatal", "fatal", "fatal",
    ]  # fmt: skip
    assert [levels.normalize(n) for n in (10, 20, 30, 40, 50, 60, "3", "7", 99, "verbose!")] == [
        "trace", "debug", "info", "warn", "error", "fatal", "error", "debug", None, None,
    ]  # fmt: skip
    assert log_format("json") is LogFormat.jsonl and log_format("nginx") is LogFormat.apache_combined
    with pytest.raises(ValueError):
        log_format("xml")


def test_timestamps() -> None:
    assert timestamps.parse("2026-03-01T10:00:00.123456789Z") == (
        dt.datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=dt.UTC), "Z",
    )  # fmt: skip
    assert timestamps.parse(1772359200123)[0] == dt.datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=dt.UTC)
    assert timestamps.parse("1772359200123456789")[0].microsecond == 123456
    paris = timestamps.zone_of("Europe/Paris")
    assert timestamps.parse("2026-07-01 12:00:00", paris) == (
        dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC),
        None,
    )
    assert timestamps.parse("not a time") is None
