"""Alert messages and channels against real servers on 127.0.0.1: an HTTP server that answers like Telegram's
sendMessage (and receives webhooks), a small SMTP server written here, and a server that never answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citra.alerts import channels as ch
from citra.alerts.message import TELEGRAM_LIMIT, render_email, render_json, render_text
from citra.config import Channel
from citra.records import Alert

ORG = "Pemerintah Kota Bekasi"
WIB = ZoneInfo("Asia/Jakarta")
TOKEN = "123456:SECRET-bot-token-XYZ"
PASSWORD = "s3cret-smtp-pass"
HOOK_SECRET = "hook-secret-42"
EVIL = 'Banjir lagi!!! <script>alert("x")</script> pompa\u202e mati\x07 semua\n\nparah'
ALLOWED_TAG = re.compile(r'^<(b|/b|/a|a href="https?://[^"<>]*")>$')


def make_alert(severity: str = "high", **changes: Any) -> Alert:
    drivers = {
        "terms": ["banjir", "genangan", "pompa"],
        "topics": [{"topic": "banjir", "name": "Banjir & genangan", "count": 210}],
        "targets": [{"target": "institution:Dinas PUPR", "count": 150}, {"target": "leader:Wali Kota", "count": 60}],
        "samples": [
            {
                "text": EVIL,
                "author": "warga_jatiasih",
                "url": "https://x.com/warga_jatiasih/status/1",
                "platform": "x",
                "created_at": "2025-03-03T07:40:00+00:00",
                "engagement": 1250,
            },
            {
                "text": "Air setinggi lutut, mana petugasnya?",
                "author": "<b>ibu</b>",
                "url": "javascript:alert(1)",
                "platform": "instagram",
                "created_at": datetime(2025, 3, 3, 7, 50, tzinfo=UTC),
                "engagement": 430,
            },
        ],
        "authors": [{"author": "infobekasi", "platform": "x", "posts": 12, "engagement": 5300, "followers": 48200}],
        "platforms": [{"platform": "x", "count": 300}, {"platform": "instagram", "count": 80}],
        "volume": {"negative": 412, "total": 1030, "expected_negative": 35.2},
    }
    alert = Alert(
        id=7,
        kind="negative_volume",
        start=datetime(2025, 3, 3, 7, 30, tzinfo=UTC),
        last_seen=datetime(2025, 3, 3, 9, 5, tzinfo=UTC),
        peak_score=6.24,
        severity=severity,
        status="open",
        drivers=drivers,
    )
    return replace(alert, **changes)


# --- servers ---------------------------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool | None = None  # the HMAC matched (None: no secret configured on the receiver)

    def json(self) -> Any:
        return json.loads(self.body)


class HTTPReceiver(ThreadingHTTPServer):
    """Answers POSTs in order from ``answers`` (then with ``{"ok": true}``) and records them."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HTTPHandler)
        self.answers: list[tuple[int, dict[str, Any]]] = []
        self.received: list[Received] = []
        self.secret: str | None = None
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _HTTPHandler(BaseHTTPRequestHandler):
    server: HTTPReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        signed = None
        if self.server.secret is not None:
            expected = "sha256=" + hmac.new(self.server.secret.encode(), body, hashlib.sha256).hexdigest()
            signed = hmac.compare_digest(headers.get("x-citra-signature", ""), expected)
        with self.server.lock:
            self.server.received.append(Received(self.path, headers, body, signed))
            status, answer = self.server.answers.pop(0) if self.server.answers else (200, {"ok": True})
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class SMTPState:
    user: str | None = None
    password: str | None = None
    mails: list[Mail] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


class SMTPReceiver(socketserver.ThreadingTCPServer):
    """Just enough SMTP (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to receive a message."""

    daemon_threads = True

    def __init__(self, state: SMTPState) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.state = state

    @property
    def port(self) -> int:
        return self.server_address[1]


class _SMTPHandler(socketserver.StreamRequestHandler):
    server: SMTPReceiver
    timeout = 5

    def reply(self, *lines: str) -> None:
        out = [f"{line[:3]}-{line[4:]}" for line in lines[:-1]] + [lines[-1]]
        self.wfile.write("".join(f"{line}\r\n" for line in out).encode())

    def handle(self) -> None:
        state = self.server.state
        self.reply("220 127.0.0.1 citra test SMTP")
        sender, recipients = "", []
        while line := self.rfile.readline(2000):
            verb, _, arg = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.reply("250 127.0.0.1", *(["250 AUTH PLAIN"] if state.user else []), "250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 127.0.0.1")
            elif verb == "AUTH":
                _, _, user, password = ("\0" + base64.b64decode(arg.split()[1]).decode()).split("\0")
                state.logins.append((user, password))
                ok = (user, password) == (state.user, state.password)
                self.reply("235 2.7.0 Authentication successful" if ok else "535 5.7.8 Authentication failed")
            elif verb == "MAIL":
                sender, recipients = arg.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(arg.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline(100_000)) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                state.mails.append(Mail(sender, recipients, b"".join(lines)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


def _serve(server: socketserver.BaseServer) -> Iterator[Any]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def http() -> Iterator[HTTPReceiver]:
    yield from _serve(HTTPReceiver())


@pytest.fixture
def hooks() -> Iterator[HTTPReceiver]:
    yield from _serve(HTTPReceiver())


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    yield from _serve(SMTPReceiver(SMTPState(user="humas", password=PASSWORD)))


@pytest.fixture
def silent() -> Iterator[int]:
    """A port that accepts connections (in the kernel backlog) and never says a word."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def telegram(base: str, **kw: Any) -> Channel:
    values = {"kind": "telegram", "name": "tg-humas", "bot_token": TOKEN, "chat_id": "-1001234", "api_url": base}
    return Channel.model_validate(values | kw)


def email(port: int, **kw: Any) -> Channel:
    values: dict[str, Any] = {
        "kind": "email",
        "name": "mail-humas",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_starttls": False,
        "smtp_user": "humas",
        "smtp_password": PASSWORD,
        "sender": "citra@bekasikota.go.id",
        "to": ["humas@bekasikota.go.id", "kominfo@bekasikota.go.id"],
    }
    return Channel.model_validate(values | kw)


def webhook(url: str, **kw: Any) -> Channel:
    return Channel.model_validate({"kind": "webhook", "name": "hook", "url": url, "secret": HOOK_SECRET} | kw)


def send(channel: Channel, alert: Alert | None = None, update: bool = False) -> None:
    ch.CHANNELS[channel.kind](channel).send(alert or make_alert(), org=ORG, tz=WIB, update=update)


# --- messages --------------------------------------------------------------------------------------------------


def test_telegram_text_is_indonesian_short_and_escaped() -> None:
    text = render_text(make_alert(), ORG, WIB)
    first = text.splitlines()[0]
    assert first == "⚠️ <b>Peringatan citra: lonjakan komentar negatif</b>"
    assert "Tingkat: <b>TINGGI</b>" in text
    assert "Mulai: 3 Mar 2025 14.30 WIB" in text
    assert "Negatif: <b>412</b> dari 1.030 unggahan (40%); biasanya ±35" in text
    assert "Banjir &amp; genangan (210)" in text
    assert "Dinas PUPR (150), Wali Kota (pimpinan) (60)" in text  # a stored key in words, never "leader:"
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in text
    assert "<script" not in text and "\u202e" not in text and "\x07" not in text
    assert "&lt;b&gt;ibu&lt;/b&gt;" in text  # an author name is untrusted too
    assert '<a href="https://x.com/warga_jatiasih/status/1">' in text
    assert "javascript:" not in text
    assert "infobekasi</b> (X): 12 unggahan, 5.300 interaksi, 48.200 pengikut" in text
    assert "Diperbarui" not in text
    assert all(ALLOWED_TAG.match(tag) for tag in re.findall(r"<[^>]*>", text))


def test_update_and_closed_say_so() -> None:
    assert "🔄 Diperbarui 3 Mar 2025 16.05 WIB" in render_text(make_alert(), ORG, WIB, update=True)
    closed = render_text(make_alert(status="closed"), ORG, WIB, update=True)
    assert closed.startswith("✅") and "krisis selesai" in closed


def test_other_zone_and_severity_words() -> None:
    text = render_text(make_alert("critical"), ORG, ZoneInfo("Asia/Makassar"))
    assert "Mulai: 3 Mar 2025 15.30 WITA" in text and "KRITIS" in text


def test_huge_drivers_stay_within_telegram_limit() -> None:
    big = "😡" * 5000 + "<" * 5000
    drivers = {
        "terms": [big] * 50,
        "topics": [{"topic": big, "name": big, "count": 10**9}] * 50,
        "targets": [{"target": big, "count": 1}] * 50,
        "samples": [{"text": big, "author": big, "url": "https://x.com/" + "a" * 5000, "platform": big}] * 50,
        "authors": [{"author": big, "platform": big, "posts": 1, "engagement": 2, "followers": 3}] * 50,
        "platforms": [{"platform": big, "count": 1}] * 50,
        "volume": {"negative": 10**9, "total": 10**10, "expected_negative": 0.0},
    }
    text = render_text(make_alert(drivers=drivers), big, WIB)
    shown = html.unescape(re.sub(r"<[^>]*>", "", text))
    assert len(shown.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    assert "<" not in re.sub(r"<[^>]*>", "", text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40), st.text(max_size=40))
def test_any_post_text_renders_safely(text: str, author: str, term: str) -> None:
    drivers = {"terms": [term], "samples": [{"text": text, "author": author, "platform": "x", "url": text}]}
    rendered = render_text(make_alert(drivers=drivers), ORG, WIB)
    assert all(ALLOWED_TAG.match(tag) for tag in re.findall(r"<[^>]*>", rendered))
    assert not any(c in rendered for c in "\x00\x1b\r\u202e\u2066")
    page = render_email(make_alert(drivers=drivers), ORG, WIB).get_body(("html",)).get_content()
    inner = page.split("<body", 1)[1].split(">", 1)[1].split("</body>")[0]
    assert all(tag == "<br>" or ALLOWED_TAG.match(tag) for tag in re.findall(r"<[^>]*>", inner))


def test_json_payload_is_stable() -> None:
    payload = render_json(make_alert(), ORG)
    assert set(payload) == {"event", "organisation", "update", "alert"}
    assert payload["event"] == "citra.alert" and payload["organisation"] == ORG and payload["update"] is False
    alert = payload["alert"]
    keys = {"id", "kind", "start", "last_seen", "severity", "peak_score", "status", "drivers", "scope"}
    assert set(alert) == keys and alert["scope"] is None  # a whole-city alert; a watched search's names it
    assert alert["start"] == "2025-03-03T07:30:00+00:00" and alert["severity"] == "high"
    assert alert["drivers"]["samples"][1]["created_at"] == "2025-03-03T07:50:00+00:00"
    assert json.loads(json.dumps(payload)) == payload


def test_alert_rejects_unknown_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        make_alert("urgent")


# --- Telegram --------------------------------------------------------------------------------------------------


def test_telegram_sends_html_message(http: HTTPReceiver) -> None:
    send(telegram(http.base))
    [req] = http.received
    assert req.path == f"/bot{TOKEN}/sendMessage"
    body = req.json()
    assert body["chat_id"] == "-1001234" and body["parse_mode"] == "HTML"
    assert body["disable_web_page_preview"] is True
    assert body["text"].startswith("⚠️ <b>Peringatan citra: lonjakan komentar negatif</b>")
    assert "&lt;script&gt;" in body["text"] and "<script" not in body["text"]
    assert "TINGGI" in body["text"] and "14.30 WIB" in body["text"]


def test_telegram_error_is_clear_and_hides_the_token(http: HTTPReceiver) -> None:
    http.answers = [(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})]
    with pytest.raises(ch.DeliveryError) as err:
        send(telegram(http.base))
    message = str(err.value)
    assert "HTTP 400" in message and "chat not found" in message and "tg-humas" in message
    assert TOKEN not in message and "SECRET" not in message


def test_telegram_200_without_ok_is_a_failure(http: HTTPReceiver) -> None:
    http.answers = [(200, {"ok": False, "description": "weird"})]
    with pytest.raises(ch.DeliveryError, match="weird"):
        send(telegram(http.base))


def test_telegram_honours_retry_after_once(http: HTTPReceiver) -> None:
    limited = (429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 1}})
    http.answers = [limited]
    started = time.monotonic()
    send(telegram(http.base))
    assert len(http.received) == 2 and time.monotonic() - started >= 0.9

    http.received.clear()
    http.answers = [limited, limited, limited]
    with pytest.raises(ch.DeliveryError, match="rate limited"):
        send(telegram(http.base))
    assert len(http.received) == 2


def test_telegram_long_retry_after_is_not_waited_for(http: HTTPReceiver) -> None:
    http.answers = [(429, {"ok": False, "parameters": {"retry_after": 3600}})]
    started = time.monotonic()
    with pytest.raises(ch.DeliveryError, match="retry after 3600"):
        send(telegram(http.base))
    assert len(http.received) == 1 and time.monotonic() - started < 2


# --- webhook ---------------------------------------------------------------------------------------------------


def test_webhook_posts_signed_json(http: HTTPReceiver) -> None:
    http.secret = HOOK_SECRET
    send(webhook(f"{http.base}/hooks/citra"), update=True)
    [req] = http.received
    assert req.path == "/hooks/citra" and req.signed is True
    assert req.headers["content-type"].startswith("application/json")
    payload = req.json()
    assert payload["event"] == "citra.alert" and payload["update"] is True
    assert payload["alert"]["id"] == 7 and payload["alert"]["drivers"]["samples"][0]["text"] == EVIL


def test_webhook_without_secret_is_unsigned(http: HTTPReceiver) -> None:
    send(Channel(kind="webhook", url=f"{http.base}/h"))
    assert "x-citra-signature" not in http.received[0].headers


def test_webhook_non_2xx_fails_without_leaking_the_path(http: HTTPReceiver) -> None:
    http.answers = [(500, {"error": "boom"})]
    with pytest.raises(ch.DeliveryError) as err:
        send(webhook(f"{http.base}/hooks/T0KEN-IN-PATH"))
    assert "HTTP 500" in str(err.value) and "T0KEN-IN-PATH" not in str(err.value)


# --- email -----------------------------------------------------------------------------------------------------


def test_email_sends_text_and_html(smtp: SMTPReceiver) -> None:
    send(email(smtp.port))
    [mail] = smtp.state.mails
    assert smtp.state.logins == [("humas", PASSWORD)]
    assert mail.sender == "citra@bekasikota.go.id"
    assert mail.recipients == ["humas@bekasikota.go.id", "kominfo@bekasikota.go.id"]
    msg = mail.message()
    assert msg["Subject"] == f"[citra] Peringatan tinggi: lonjakan komentar negatif – {ORG}"
    assert msg["Message-ID"].startswith("<citra-alert-7-")
    plain = msg.get_body(("plain",)).get_content()
    assert "Peringatan citra: lonjakan komentar negatif" in plain and "Tingkat: TINGGI" in plain
    assert "14.30 WIB" in plain and "<b>Peringatan" not in plain
    page = msg.get_body(("html",)).get_content()
    assert "&lt;script&gt;" in page and "<script" not in page and "<b>TINGGI</b>" in page


def test_email_update_replies_to_the_first_message(smtp: SMTPReceiver) -> None:
    send(email(smtp.port))
    send(email(smtp.port), update=True)
    first, second = (m.message() for m in smtp.state.mails)
    assert second["In-Reply-To"] == first["Message-ID"] != second["Message-ID"]
    assert second["Subject"].startswith("[citra] Diperbarui: ")


def test_email_bad_password_is_clear_and_hidden(smtp: SMTPReceiver) -> None:
    with pytest.raises(ch.DeliveryError) as err:
        send(email(smtp.port, smtp_password="wrong-" + PASSWORD))
    message = str(err.value)
    assert "535" in message and "humas" in message and PASSWORD not in message
    assert not smtp.state.mails


def test_email_never_sends_a_password_without_starttls(smtp: SMTPReceiver) -> None:
    with pytest.raises(ch.DeliveryError, match="STARTTLS"):
        send(email(smtp.port, smtp_starttls=True))
    assert not smtp.state.logins and not smtp.state.mails


# --- timeouts, refused connections, deliver ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["telegram", "webhook", "email"])
def test_timeouts_are_honoured(silent: int, kind: str) -> None:
    base = f"http://127.0.0.1:{silent}"
    channel = {
        "telegram": lambda: telegram(base, timeout=0.5),
        "webhook": lambda: webhook(f"{base}/h", timeout=0.5),
        "email": lambda: email(silent, timeout=0.5),
    }[kind]()
    started = time.monotonic()
    with pytest.raises(ch.DeliveryError, match=r"did not answer within 0\.5 s"):
        send(channel)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("kind", ["telegram", "email"])
def test_refused_connection_is_retried_once_then_reported(kind: str) -> None:
    port = closed_port()
    channel = telegram(f"http://127.0.0.1:{port}") if kind == "telegram" else email(port)
    started = time.monotonic()
    with pytest.raises(ch.DeliveryError) as err:
        send(channel)
    elapsed = time.monotonic() - started
    assert ch.RETRY_PAUSE <= elapsed < ch.RETRY_PAUSE + 2
    assert TOKEN not in str(err.value) and PASSWORD not in str(err.value)


def test_deliver_filters_by_severity_and_isolates_failures(
    http: HTTPReceiver, hooks: HTTPReceiver, smtp: SMTPReceiver
) -> None:
    http.answers = [(400, {"ok": False, "description": "Bad Request: chat not found"})]
    wrong = "wr0ng-pass-123"
    hooks.secret = HOOK_SECRET
    channels = [
        telegram(http.base, min_severity="low"),
        email(smtp.port, smtp_password=wrong, min_severity="medium"),
        Channel(kind="telegram", name="no-chat", bot_token=TOKEN),
        webhook(f"{hooks.base}/ok", min_severity="high"),
        webhook(f"{hooks.base}/critical-only", name="crit", min_severity="critical"),
    ]
    results = ch.deliver(make_alert("high"), channels, org=ORG, tz=WIB, update=False)

    assert [(r.channel, r.kind, r.ok) for r in results] == [
        ("tg-humas", "telegram", False),
        ("mail-humas", "email", False),
        ("no-chat", "telegram", False),
        ("hook", "webhook", True),
    ]
    assert "chat not found" in (results[0].error or "")
    assert "535" in (results[1].error or "")
    assert "needs chat_id" in (results[2].error or "")
    assert results[3].error is None
    assert not any(secret in (r.error or "") for r in results for secret in (TOKEN, PASSWORD, wrong))
    assert [r.path for r in hooks.received] == ["/ok"] and hooks.received[0].signed is True


def test_deliver_below_every_threshold_sends_nothing(http: HTTPReceiver) -> None:
    results = ch.deliver(make_alert("low"), [telegram(http.base)], org=ORG, tz=WIB, update=False)
    assert results == [] and http.received == []
