"""Alert channels: Telegram Bot API, email (SMTP) and a JSON webhook, registered in ``CHANNELS``.

A channel class is built from its ``Channel`` config and sends one alert, raising ``DeliveryError`` when it
cannot. ``deliver`` sends an alert to every channel whose ``min_severity`` it reaches; one failing channel never
stops the others. Error messages never contain the bot token, the SMTP password or the webhook secret (nor the
webhook path, which often is a secret too). Every send is bounded by the channel's ``timeout``; a refused or
reset connection is retried once after a short pause, a timeout is not (the server may have the message)."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import smtplib
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import httpx

from citra import __version__
from citra.alerts.message import EVENT, render_email, render_json, render_text
from citra.config import Channel
from citra.errors import CitraError, ConfigError
from citra.records import SEVERITIES, Alert

USER_AGENT = f"citra/{__version__} (alerts)"
RETRY_PAUSE = 0.5  # seconds before the one retry of a refused connection
MAX_RETRY_AFTER = 10.0  # a Telegram 429 asking to wait longer than this is reported, not waited for
SNIPPET = 200

log = logging.getLogger(__name__)


class DeliveryError(CitraError):
    """An alert could not be delivered through a channel."""

    exit_code = 5
    http_status = 502


class Sender(Protocol):
    """A channel that carries alerts, built from its ``Channel`` config."""

    def __init__(self, channel: Channel) -> None: ...

    def send(self, alert: Alert, *, org: str, tz: tzinfo, update: bool) -> None:
        """Send ``alert`` (``update``: a later message about the same crisis); raise DeliveryError on failure."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What happened on one channel: ``channel`` is its name (or kind when unnamed)."""

    channel: str
    kind: str
    ok: bool
    error: str | None = None


class Telegram:
    """Telegram Bot API ``sendMessage`` to ``chat_id``, formatted with ``parse_mode=HTML``."""

    def __init__(self, channel: Channel) -> None:
        _require(channel, "bot_token", "chat_id")
        self.channel = channel

    def send(self, alert: Alert, *, org: str, tz: tzinfo, update: bool) -> None:
        self.send_html(render_text(alert, org, tz, update=update))

    def send_html(self, text: str) -> None:
        """Send a message in Telegram's HTML (escape what is not markup)."""
        c = self.channel
        url = f"{c.api_url.rstrip('/')}/bot{c.bot_token}/sendMessage"
        payload = {"chat_id": c.chat_id, "text": text, "parse_mode": "HTML", "disable_web_page_preview": True}
        body = json.dumps(payload, ensure_ascii=False).encode()
        for attempt in (1, 2):
            response = _post(c, url, body, {"Content-Type": "application/json; charset=utf-8"})
            answer = _json_object(response)
            if response.status_code == 429 and attempt == 1:
                wait = _retry_after(response, answer)
                if wait is not None and wait <= MAX_RETRY_AFTER:
                    time.sleep(wait)
                    continue
            if response.is_success and answer.get("ok") is True:
                return
            raise _fail(c, _telegram_problem(c, response, answer))


class Email:
    """Email through an SMTP server: STARTTLS when configured and offered (port 465: implicit TLS), login when
    ``smtp_user`` is set. Updates of a crisis reply to its first message, so mail clients show one thread."""

    def __init__(self, channel: Channel) -> None:
        _require(channel, "smtp_host", "sender", "to")
        self.channel = channel

    def send(self, alert: Alert, *, org: str, tz: tzinfo, update: bool) -> None:
        c = self.channel
        msg = render_email(alert, org, tz, update=update)
        msg["From"] = c.sender
        msg["To"] = ", ".join(c.to)
        msg["Date"] = formatdate(usegmt=True)
        domain = "".join(ch for ch in c.sender.rpartition("@")[2] if ch.isalnum() or ch in ".-") or "citra.local"
        thread = f"<citra-alert-{alert.id}-{int(alert.start.timestamp())}@{domain}>" if alert.id is not None else None
        msg["Message-ID"] = thread if thread and not update else make_msgid("citra-alert", domain=domain)
        if thread and update:
            msg["In-Reply-To"] = thread
            msg["References"] = thread
        self.deliver(msg)

    def message(self, subject: str, text: str, tag: str) -> EmailMessage:
        """A plain-text message (not an alert) from ``sender`` to ``to``; ``tag`` starts its Message-ID."""
        c = self.channel
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = c.sender
        msg["To"] = ", ".join(c.to)
        msg["Date"] = formatdate(usegmt=True)
        domain = "".join(ch for ch in c.sender.rpartition("@")[2] if ch.isalnum() or ch in ".-") or "citra.local"
        msg["Message-ID"] = make_msgid(tag, domain=domain)
        msg.set_content(text)
        return msg

    def send_text(self, subject: str, text: str) -> None:
        """Send a plain-text message (not an alert) from ``sender`` to ``to``."""
        self.deliver(self.message(subject, text, "citra-inbox"))

    def deliver(self, msg: EmailMessage) -> None:
        """Send ``msg``; every failure becomes a DeliveryError that names the server, never the password."""
        c = self.channel
        server = f"{c.smtp_host}:{c.smtp_port}"
        try:
            self._send(msg)
        except DeliveryError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise _fail(c, f"{server} refused the login of {c.smtp_user!r}: {_smtp_reply(exc)}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(f"{addr} ({_smtp_reply(err)})" for addr, err in exc.recipients.items())
            raise _fail(c, f"{server} refused every recipient: {refused}") from None
        except smtplib.SMTPResponseException as exc:
            raise _fail(c, f"{server} answered: {_smtp_reply(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            if _timed_out(exc):
                raise _fail(c, f"{server} did not answer within {c.timeout:g} s") from None
            raise _fail(c, f"cannot send through {server}: {_reason(exc)}") from None

    def _send(self, msg: EmailMessage) -> None:
        c = self.channel
        with self._connect() as smtp:
            smtp.ehlo()
            if c.smtp_starttls and not isinstance(smtp, smtplib.SMTP_SSL):
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                elif c.smtp_user:
                    raise _fail(
                        c,
                        f"{c.smtp_host}:{c.smtp_port} does not offer STARTTLS; the password is not sent in clear "
                        "(set smtp_starttls = false to allow it)",
                    )
            if c.smtp_user:
                smtp.login(c.smtp_user, c.smtp_password)
            refused = smtp.send_message(msg, from_addr=c.sender, to_addrs=list(c.to))
        if refused:
            lost = ", ".join(f"{addr} ({_smtp_reply(err)})" for addr, err in refused.items())
            raise _fail(c, f"delivered, but {c.smtp_host} refused: {lost}")

    def _connect(self) -> smtplib.SMTP:
        c = self.channel
        for attempt in (1, 2):
            try:
                if c.smtp_port == 465:
                    return smtplib.SMTP_SSL(
                        c.smtp_host, c.smtp_port, timeout=c.timeout, context=ssl.create_default_context()
                    )
                return smtplib.SMTP(c.smtp_host, c.smtp_port, timeout=c.timeout)
            except (ConnectionRefusedError, ConnectionResetError, smtplib.SMTPServerDisconnected) as exc:
                if attempt == 2 or _timed_out(exc):
                    raise
                time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable")


class Webhook:
    """A JSON POST of ``render_json`` to ``url``; signed ``X-Citra-Signature: sha256=<hex>`` (HMAC-SHA256 of
    the body with ``secret``) when a secret is set. Any 2xx answer is success; redirects are not followed."""

    def __init__(self, channel: Channel) -> None:
        _require(channel, "url")
        self.channel = channel

    def send(self, alert: Alert, *, org: str, tz: tzinfo, update: bool) -> None:
        c = self.channel
        body = json.dumps(render_json(alert, org, update=update), ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Citra-Event": EVENT}
        if c.secret:
            headers["X-Citra-Signature"] = signature(body, c.secret)
        response = _post(c, c.url, body, headers)
        if not response.is_success:
            raise _fail(c, f"{_origin(c.url)} answered HTTP {response.status_code}{_snippet(response.text)}")


CHANNELS: dict[str, type[Sender]] = {"telegram": Telegram, "email": Email, "webhook": Webhook}


def send_notice(channel: Channel, subject: str, text: str) -> None:
    """A plain notice (not an alert) through an email or Telegram channel, e.g. the inbox's word to an OPD; a
    DeliveryError (secrets scrubbed) when it cannot be sent."""
    try:
        if channel.kind == "email":
            Email(channel).send_text(subject, text)
        elif channel.kind == "telegram":
            Telegram(channel).send_html(f"<b>{html.escape(subject)}</b>\n{html.escape(text)}")
        else:
            raise ConfigError(f"{_label(channel)} cannot carry notices")
    except CitraError as exc:
        raise DeliveryError(_scrub(str(exc), channel)) from None


def signature(body: bytes, secret: str) -> str:
    """The ``X-Citra-Signature`` header value of a webhook body: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def wants(channel: Channel, severity: str) -> bool:
    """Whether an alert of ``severity`` reaches the channel's ``min_severity``."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(channel.min_severity)


def deliver(
    alert: Alert, channels: Sequence[Channel], *, org: str, tz: tzinfo, update: bool = False
) -> list[DeliveryResult]:
    """Send ``alert`` to every channel it is severe enough for, one after the other; a failure (even a bug) in
    one channel is recorded in its result and does not stop the others. Skipped channels have no result."""
    results = []
    for channel in channels:
        if not wants(channel, alert.severity):
            continue
        name = channel.name or channel.kind
        try:
            CHANNELS[channel.kind](channel).send(alert, org=org, tz=tz, update=update)
        except CitraError as exc:
            error = str(exc)
        except Exception as exc:  # a bug in one channel must not silence the others
            error = f"{_label(channel)}: unexpected {type(exc).__name__}: {exc}"
        else:
            results.append(DeliveryResult(name, channel.kind, ok=True))
            continue
        error = _scrub(error, channel)
        log.warning("alert %s not delivered: %s", alert.id, error)
        results.append(DeliveryResult(name, channel.kind, ok=False, error=error))
    return results


def _post(channel: Channel, url: str, body: bytes, headers: Mapping[str, str]) -> httpx.Response:
    """POST ``body``; one retry when the connection is refused or reset before the request was sent."""
    where = _origin(url)
    timeout = channel.timeout
    with httpx.Client(timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT}) as client:
        for attempt in (1, 2):
            try:
                return client.post(url, content=body, headers=dict(headers))
            except httpx.ConnectError as exc:
                if attempt == 2:
                    raise _fail(channel, f"cannot connect to {where}: {_reason(exc)}") from None
                time.sleep(RETRY_PAUSE)
            except httpx.TimeoutException:
                raise _fail(channel, f"{where} did not answer within {timeout:g} s") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise _fail(channel, f"request to {where} failed: {_reason(exc)}") from None
    raise AssertionError("unreachable")


def _telegram_problem(channel: Channel, response: httpx.Response, answer: Mapping[str, Any]) -> str:
    status = response.status_code
    text = f"Telegram answered HTTP {status}" + _snippet(str(answer.get("description") or "") or response.text)
    params = answer.get("parameters") if isinstance(answer.get("parameters"), Mapping) else {}
    if status == 429:
        wait = _retry_after(response, answer)
        text += f" (still rate limited; retry after {wait:g} s)" if wait is not None else " (rate limited)"
    elif params.get("migrate_to_chat_id"):
        text += f" (the chat moved: set chat_id = {str(params['migrate_to_chat_id'])[:30]!r})"
    elif status == 401:
        text += " (check bot_token)"
    elif response.is_success and answer.get("ok") is not True:
        text += " without ok: true"
    return text


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _retry_after(response: httpx.Response, answer: Mapping[str, Any]) -> float | None:
    params = answer.get("parameters")
    value = params.get("retry_after") if isinstance(params, Mapping) else None
    if value is None:
        value = response.headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < float("inf") else None


def _require(channel: Channel, *fields: str) -> None:
    missing = [f for f in fields if not getattr(channel, f)]
    if missing:
        raise ConfigError(f"{_label(channel)} needs {', '.join(missing)} in [[alerts.channels]] of citra.toml")


def _label(channel: Channel) -> str:
    return f"{channel.kind} channel {channel.name!r}" if channel.name else f"{channel.kind} channel"


def _fail(channel: Channel, message: str) -> DeliveryError:
    return DeliveryError(_scrub(f"{_label(channel)}: {message}", channel))


def _scrub(text: str, channel: Channel) -> str:
    """``text`` without the channel's secrets (as given and URL-encoded)."""
    for secret in (channel.bot_token, channel.smtp_password, channel.secret):
        if secret:
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, "***")
    return text


def _origin(url: str) -> str:
    """``scheme://host:port`` of a URL: never its path or query, which may hold a token."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the configured URL"
    return f"{parts.scheme}://{host}{port}"


def _snippet(text: str) -> str:
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in text[: SNIPPET * 2]).split())[:SNIPPET]
    return f": {cleaned}" if cleaned else ""


def _smtp_reply(exc: smtplib.SMTPResponseException | tuple[int, bytes]) -> str:
    code, raw = (exc.smtp_code, exc.smtp_error) if isinstance(exc, smtplib.SMTPResponseException) else exc
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{code} {' '.join(text.split())[:SNIPPET]}"


def _timed_out(exc: BaseException) -> bool:
    """Whether an error is (or, as smtplib reports it, wraps) a socket timeout."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
