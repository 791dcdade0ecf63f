"""A local fake of Twilio's Messages REST resource, for the real `twilio` SDK to talk to in tests and benchmarks.

It answers what the dispatcher uses (2010-04-01 API): POST .../Accounts/{sid}/Messages.json (Basic auth checked,
form validated, 201 with a message whose sid is "SM" + 32 hex and status "queued"), GET .../Messages.json (filters To,
From, DateSent / DateSent> / DateSent< like Twilio, newest first, with Twilio's paging fields) and
GET .../Messages/{sid}.json. Failures are injected from a script (exact, for unit tests) or at random (chaos):

- 500 / 503 / 429: refused, nothing stored.
- "timeout": stored, then the answer comes after `timeout_sleep` seconds (longer than the client waits).
- "drop": stored, then 500 (Twilio accepted it but our side never learns the SID).
- "close": stored, then the connection is closed without an answer.
- (status, code, message): a Twilio error, nothing stored (e.g. (400, 21211, "invalid number")).

`count(to, body)` / `counts()` tell how many times a message was accepted: the "never twice" tests assert on them.
Everything is guarded by one lock; the server runs in a daemon thread on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import base64
import json
import random
import re
import secrets
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
PAGE_SIZE = 50
Outcome = str | int | tuple[int, int, str]

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages(?:/(?P<sid>[^/.]+))?\.json$")


@dataclass
class FakeMessage:
    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    date_created: datetime
    date_sent: datetime
    status: str = "queued"
    accepted_at: float = 0.0  # time.monotonic() when stored

    def as_json(self, account_sid: str) -> dict[str, Any]:
        uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{self.sid}.json"
        return {
            "sid": self.sid, "account_sid": account_sid, "api_version": "2010-04-01", "body": self.body,
            "to": self.to, "from": self.from_, "messaging_service_sid": self.messaging_service_sid,
            "status": self.status, "direction": "outbound-api", "num_segments": "1", "num_media": "0",
            "price": None, "price_unit": "USD", "error_code": None, "error_message": None,
            "date_created": format_datetime(self.date_created), "date_updated": format_datetime(self.date_created),
            "date_sent": format_datetime(self.date_sent), "uri": uri,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        }


@dataclass
class RequestRecord:
    method: str
    path: str
    auth_ok: bool
    outcome: str
    at: float = field(default_factory=time.monotonic)


def _parse_when(text: str) -> datetime | None:
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class FakeTwilio:
    """The fake server. Use as a context manager, or start()/stop()."""

    def __init__(
        self,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
        *,
        failure_rate: float = 0.0,
        failure_kinds: Iterable[Outcome] = (500, 429, "timeout"),
        fail_lookups: bool = True,
        timeout_sleep: float = 1.0,
        seed: int | None = None,
    ) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.failure_rate, self.failure_kinds, self.fail_lookups = failure_rate, list(failure_kinds), fail_lookups
        self.timeout_sleep = timeout_sleep
        self.rejected_numbers: dict[str, tuple[int, int, str]] = {}
        self.messages: dict[str, FakeMessage] = {}
        self.requests: list[RequestRecord] = []
        self._scripts: dict[str, deque[Outcome]] = {"POST": deque(), "GET": deque()}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---

    def start(self) -> FakeTwilio:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- test controls ---

    def script(self, *outcomes: Outcome, method: str = "POST") -> None:
        """Answer the next requests of `method` with these outcomes, in order ("ok" = normal), then as usual."""
        with self._lock:
            self._scripts[method].extend(outcomes)

    def reject_number(self, to: str, code: int = 21610, message: str = "Attempt to send to unsubscribed recipient",
                      status: int = 400) -> None:
        with self._lock:
            self.rejected_numbers[to] = (status, code, message)

    def set_status(self, sid: str, status: str) -> None:
        with self._lock:
            self.messages[sid].status = status

    def count(self, to: str, body: str) -> int:
        with self._lock:
            return sum(1 for m in self.messages.values() if m.to == to and m.body == body)

    def counts(self) -> Counter[tuple[str, str]]:
        with self._lock:
            return Counter((m.to, m.body) for m in self.messages.values())

    def accepted(self) -> list[FakeMessage]:
        with self._lock:
            return list(self.messages.values())

    def requests_of(self, method: str) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.method == method]

    # --- used by the handler ---

    def next_outcome(self, method: str) -> Outcome:
        with self._lock:
            if self._scripts[method]:
                return self._scripts[method].popleft()
            if method == "GET" and not self.fail_lookups:
                return "ok"
            if self.failure_rate and self._rng.random() < self.failure_rate:
                return self._rng.choice(self.failure_kinds)
            return "ok"

    def store(self, form: dict[str, str]) -> FakeMessage:
        now = datetime.now(UTC).replace(microsecond=0)
        message = FakeMessage(
            sid="SM" + secrets.token_hex(16), to=form["To"], from_=form.get("From"),
            messaging_service_sid=form.get("MessagingServiceSid"), body=form["Body"],
            status_callback=form.get("StatusCallback"), date_created=now, date_sent=now, accepted_at=time.monotonic(),
        )
        with self._lock:
            self.messages[message.sid] = message
        return message

    def log(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def listing(self, query: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            found = list(self.messages.values())
        if "To" in query:
            found = [m for m in found if m.to == query["To"]]
        if "From" in query:
            found = [m for m in found if m.from_ == query["From"]]
        for key, keep in (("DateSent>", lambda d, w: d >= w), ("DateSent<", lambda d, w: d <= w)):
            when = _parse_when(query.get(key, ""))
            if when is not None:
                found = [m for m in found if keep(m.date_sent, when)]
        exact = _parse_when(query.get("DateSent", ""))
        if exact is not None:
            found = [m for m in found if m.date_sent.date() == exact.date()]
        found.sort(key=lambda m: (m.date_sent, m.accepted_at), reverse=True)
        size = max(1, min(1000, int(query.get("PageSize", PAGE_SIZE))))
        page = max(0, int(query.get("Page", 0)))
        chunk = found[page * size:(page + 1) * size]
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        filters = {k: v for k, v in query.items() if k not in ("Page", "PageSize", "PageToken")}

        def uri(n: int) -> str:
            return base + "?" + urlencode({**filters, "PageSize": size, "Page": n, "PageToken": f"PA{n}"})

        more = (page + 1) * size < len(found)
        return {
            "messages": [m.as_json(self.account_sid) for m in chunk],
            "uri": uri(page), "first_page_uri": uri(0), "next_page_uri": uri(page + 1) if more else None,
            "previous_page_uri": uri(page - 1) if page else None, "page": page, "page_size": size,
            "start": page * size, "end": page * size + max(0, len(chunk) - 1),
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle + the client's delayed ACK add ~40 ms to
        # every answer on a kept-alive connection (real Twilio has no such stall).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: phone numbers are in the query strings

    @property
    def fake(self) -> FakeTwilio:
        return self.server.fake

    def _auth_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        expected = base64.b64encode(f"{self.fake.account_sid}:{self.fake.auth_token}".encode()).decode()
        return header == f"Basic {expected}"

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (timeout): nothing to answer

    def _error(self, status: int, code: int, message: str) -> None:
        self._send_json(status, {"code": code, "message": message, "status": status,
                                 "more_info": f"https://www.twilio.com/docs/errors/{code}"})

    def _route(self, method: str) -> tuple[re.Match[str] | None, dict[str, str]]:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        return _PATH.match(parts.path), query

    def _refuse(self, outcome: Outcome) -> bool:
        """Answer the failures that store nothing; True when answered."""
        if isinstance(outcome, tuple):
            self._error(*outcome)
            return True
        if outcome in (500, 503):
            self._send_json(int(outcome), {"code": 20500, "message": "Internal Server Error", "status": outcome})
            return True
        if outcome == 429:
            self._error(429, 20429, "Too Many Requests")
            return True
        return False

    def do_POST(self) -> None:
        match, _ = self._route("POST")
        length = int(self.headers.get("Content-Length", 0) or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
        auth_ok = self._auth_ok()
        if match is None or match["sid"]:
            self.fake.log(RequestRecord("POST", urlsplit(self.path).path, auth_ok, "404"))
            return self._error(404, 20404, "The requested resource was not found")
        if not auth_ok or match["account"] != self.fake.account_sid:
            self.fake.log(RequestRecord("POST", match.group(0), auth_ok, "401"))
            return self._error(401, 20003, "Authenticate")
        outcome = self.fake.next_outcome("POST")
        self.fake.log(RequestRecord("POST", match.group(0), auth_ok, str(outcome)))
        if self._refuse(outcome):
            return None
        to, body = form.get("To", ""), form.get("Body", "")
        if not _E164.fullmatch(to):
            return self._error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not body:
            return self._error(400, 21602, "Message body is required.")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return self._error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required")
        if to in self.fake.rejected_numbers:
            return self._error(*self.fake.rejected_numbers[to])
        message = self.fake.store(form)
        if outcome == "drop":
            return self._send_json(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
        if outcome == "close":
            self.close_connection = True
            return None
        if outcome == "timeout":
            time.sleep(self.fake.timeout_sleep)
        return self._send_json(201, message.as_json(self.fake.account_sid))

    def do_GET(self) -> None:
        match, query = self._route("GET")
        auth_ok = self._auth_ok()
        if match is None:
            self.fake.log(RequestRecord("GET", urlsplit(self.path).path, auth_ok, "404"))
            return self._error(404, 20404, "The requested resource was not found")
        if not auth_ok or match["account"] != self.fake.account_sid:
            self.fake.log(RequestRecord("GET", match.group(0), auth_ok, "401"))
            return self._error(401, 20003, "Authenticate")
        outcome = self.fake.next_outcome("GET")
        self.fake.log(RequestRecord("GET", match.group(0), auth_ok, str(outcome)))
        if self._refuse(outcome) or (outcome == "drop" and self._refuse(500)):
            return None
        if outcome == "close":
            self.close_connection = True
            return None
        if outcome == "timeout":
            time.sleep(self.fake.timeout_sleep)
        if match["sid"]:
            with self.fake._lock:
                message = self.fake.messages.get(match["sid"])
            if message is None:
                return self._error(404, 20404, f"The requested resource {match.group(0)} was not found")
            return self._send_json(200, message.as_json(self.fake.account_sid))
        return self._send_json(200, self.fake.listing(query))
