"""The workspace: a folder with ``citra.toml``, the SQLite database and the rejects log.

Built once at the edge (CLI start, app factory) and passed down; nothing here runs at import time.
"""

from __future__ import annotations

import ipaddress
import json
import os
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from citra import credentials, private
from citra.errors import ConfigError
from citra.records import Platform

CONFIG_NAME = "citra.toml"
DB_NAME = "citra.db"


class Leader(BaseModel):
    """A leader whose image is tracked, with the names people use for them."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(description='The leader\'s name as it appears in the reports, e.g. "Budi Santoso".')
    role: str = Field(
        "",
        description='Their position, e.g. "Wali Kota"; posts that name the role ("walkot") are about them too.',
    )
    aliases: list[str] = Field(
        default_factory=list, description='Other names people use for them, e.g. "pak budi" (any case).'
    )


class Entity(BaseModel):
    """A comparison entity (a neighbouring city, the province) tracked as a control."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(description='The entity\'s name, e.g. "Kota Depok".')
    aliases: list[str] = Field(
        default_factory=list, description='Other names people use for it, e.g. "pemkot depok" (any case).'
    )


class Feed(BaseModel):
    """An RSS/Atom feed to collect; ``keywords`` overrides the workspace keywords for this feed."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(description="A name for the feed, shown as the source of its articles.")
    url: str = Field(description="Address of the RSS or Atom feed.")
    keywords: list[str] | None = Field(
        None,
        description="Keep only articles that contain one of these (any case); unset: the workspace keywords, "
        "empty: every article.",
    )


class Retention(BaseModel):
    """How long to keep data; 0 keeps it for ever."""

    model_config = ConfigDict(extra="forbid")
    posts_days: int = Field(
        0,
        ge=0,
        description="Delete posts older than this many days with everything derived from them: annotations, "
        "topics, routes, the team's labels and label history, inbox entries, audit samples, alert samples "
        "(0: keep for ever).",
    )
    raw_days: int = Field(
        0, ge=0, description="Drop the original raw records of posts older than this many days (0: keep)."
    )
    rejects_days: int = Field(90, ge=0, description="Delete rejects logs older than this many days (0: keep).")
    labels_days: int = Field(
        0,
        ge=0,
        description="Delete labelled texts imported without a post (training data) older than this many days "
        "(0: keep); a post's labels go with the post.",
    )
    audit_days: int = Field(0, ge=0, description="Delete audit log entries older than this many days (0: keep).")
    tokens_days: int = Field(
        90, ge=0, description="Delete revoked API tokens last used (or made) more than this many days ago (0: keep)."
    )
    reports_days: int = Field(
        0, ge=0, description="Delete files in the workspace's reports folder older than this many days (0: keep)."
    )


class NlpSettings(BaseModel):
    """Language settings: extra slang lexicons, a custom topic taxonomy, a user-trained sentiment model.
    Relative paths are relative to the workspace folder."""

    model_config = ConfigDict(extra="forbid")
    lexicons: list[str] = Field(
        default_factory=list, description="Extra slang lists (CSV: slang,formal) added to the shipped one."
    )
    topics: str = Field("", description="A topic taxonomy file (TOML); empty: the shipped taxonomy alone.")
    topics_mode: Literal["extend", "replace"] = Field(
        "extend", description="Whether the `topics` file extends the shipped taxonomy or replaces it."
    )
    sentiment_model: str = Field(
        "", description="A model folder written by `citra train sentiment`; empty: the shipped model."
    )
    deep: Literal["all", "attention", "off"] = Field(
        "attention",
        description="Which citizens' posts the deep tier (a multilingual sentence encoder, slower) labels after the "
        "fast one: `attention` those negative or needing a response, `all` every one, `off` none.",
    )


class Channel(BaseModel):
    """Where alerts go: ``kind`` telegram (bot_token, chat_id), email (smtp_host, to, ...) or webhook (url)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["telegram", "email", "webhook"] = Field(description="How alerts are sent.")
    name: str = Field("", description="A name for the channel in delivery reports; empty: its kind.")
    min_severity: Literal["low", "medium", "high", "critical"] = Field(
        "medium", description="Send only alerts of at least this severity."
    )
    bot_token: str = Field("", description="telegram: the bot's token from @BotFather (a secret).")
    chat_id: str = Field("", description="telegram: the chat, group or channel to post to.")
    api_url: str = Field("https://api.telegram.org", description="telegram: base address of the Bot API.")
    smtp_host: str = Field("", description="email: the SMTP server.")
    smtp_port: int = Field(587, description="email: the SMTP port (465: implicit TLS).")
    smtp_user: str = Field("", description="email: login name; empty: no login.")
    smtp_password: str = Field("", description="email: login password (a secret).")
    smtp_starttls: bool = Field(
        True, description="email: use STARTTLS when the server offers it, and refuse to log in without it."
    )
    sender: str = Field("", description="email: the From address.")
    to: list[str] = Field(default_factory=list, description="email: the recipients.")
    url: str = Field("", description="webhook: the address that receives a JSON POST per alert.")
    secret: str = Field(
        "", description="webhook: key of the HMAC-SHA256 X-Citra-Signature header; empty: unsigned (a secret)."
    )
    timeout: float = Field(10.0, gt=0, description="Seconds to wait for the server on each send.")


class AlertSettings(BaseModel):
    """Crisis detection: threshold of the spike score, and the channels alerts are pushed to."""

    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(5.0, gt=0, description="Spike score that raises an alert (higher: fewer alerts).")
    channels: list[Channel] = Field(default_factory=list, description="Where alerts are pushed.")
    watch_minutes: int = Field(
        30, ge=1, description="Minutes between the cycles of `citra watch` (its --every overrides this)."
    )


class InboxSettings(BaseModel):
    """The inbox's deadlines and priority (``store/priority.py``)."""

    model_config = ConfigDict(extra="forbid")
    deadline_days: int = Field(
        3, ge=1, le=60, description="Working days (Monday to Friday, holidays left out) an OPD has to respond."
    )
    deadlines: dict[str, int] = Field(
        default_factory=dict,
        description='Per-OPD deadlines in working days that replace `deadline_days`, e.g. `"Dinas PUPR" = 5`.',
    )
    holidays: list[date] = Field(
        default_factory=list, description="Public holidays that are not working days, e.g. `[2026-12-25]`."
    )
    warn_days: int = Field(
        1,
        ge=0,
        le=30,
        description="`citra watch` tells the OPD's contact once when this many working days are left (0: never).",
    )
    reach_followers: int = Field(
        10000, ge=1, description="Authors with at least this many followers raise an item's priority."
    )

    @field_validator("deadlines")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for name, days in value.items():
            if not 1 <= days <= 60:
                raise ValueError(f"{name!r}: deadline must be 1 to 60 working days")
        return value


class OpdContact(BaseModel):
    """Where an OPD is told of new assignments and deadlines: through the first email / telegram alert channel's
    server or bot, to this address or chat."""

    model_config = ConfigDict(extra="forbid")
    email: list[str] = Field(default_factory=list, description="Email addresses of the OPD's liaison.")
    telegram_chat: str = Field("", description="Telegram chat id of the OPD's group or liaison.")

    @field_validator("email", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class ReportSettings(BaseModel):
    """The monthly report sent by `citra watch` (`citra.reports.schedule`)."""

    model_config = ConfigDict(extra="forbid")
    schedule: bool = Field(
        False,
        description="Send the previous month's report on the first working day of each month (Monday to Friday, "
        "`holidays` left out; later that month if `citra watch` was not running then), once per month.",
    )
    recipients: list[str] = Field(
        default_factory=list,
        description="Email addresses the report goes to, through the SMTP server of the first email alert channel; "
        "empty: that channel's own `to`.",
    )
    formats: list[Literal["pdf", "xlsx"]] = Field(
        default_factory=lambda: ["pdf"], min_length=1, description='Files sent: `["pdf"]` or `["pdf", "xlsx"]`.'
    )
    telegram: bool = Field(
        True, description="Also send the files as documents to the chat of the first Telegram alert channel."
    )
    holidays: list[date] = Field(
        default_factory=list, description="Public holidays that are not working days, e.g. `[2027-01-01]`."
    )


class IndexSettings(BaseModel):
    """The citra index's misclassification correction (``docs/citra-index.md``)."""

    model_config = ConfigDict(extra="forbid")
    audit_min: int = Field(
        50, ge=10, description="Audit labels (random sample, team sentiment) needed before shares are corrected."
    )
    bootstrap: int = Field(
        400, ge=50, le=5000, description="Bootstrap draws of the confusion matrix behind the corrected intervals."
    )


class WebSettings(BaseModel):
    """The dashboard server (`citra serve`)."""

    model_config = ConfigDict(extra="forbid")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers "
        'are believed, e.g. `["127.0.0.1", "10.0.0.0/8"]`; empty: the headers are ignored and the connecting '
        "address is the client (login limits count it).",
    )
    threads: int = Field(
        16,
        ge=1,
        le=64,
        description="Requests served at once (worker threads); more wait their turn. Queries release Python's lock, "
        "so on 2 cores 16 served more than 4 or 8 (docs/benchmarks.md).",
    )
    database_pool: int = Field(
        0,
        ge=0,
        le=200,
        description="Database connections of the server; 0: `threads` + 4 (background work). A request waiting "
        "longer than `pool_timeout` for one gets HTTP 503 with Retry-After.",
    )
    pool_timeout: float = Field(5.0, gt=0, le=60, description="Seconds a request waits for a database connection.")
    request_timeout: float = Field(
        30.0, gt=0, le=600, description="Seconds of database work a request may use before it is answered 503."
    )
    report_builds: int = Field(1, ge=1, le=4, description="Reports built at once by the dashboard (Laporan).")
    report_timeout: float = Field(300.0, gt=0, description="Seconds a report build may take before it is stopped.")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (e.g. 10.0.0.0/8)") from None
        return [item.strip() for item in value]


class Settings(BaseModel):
    """The validated content of ``citra.toml``."""

    model_config = ConfigDict(extra="forbid")
    organisation: str = Field(description='The government whose image is measured, e.g. "Pemerintah Kota Bekasi".')
    timezone: str = Field(
        "Asia/Jakarta", description="IANA time zone in which times are shown and dates are read (stored in UTC)."
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL of a PostgreSQL database for a team; empty: the SQLite citra.db in the "
        "workspace. CITRA_DATABASE_URL overrides it.",
    )
    secrets_file: str = Field(
        "secrets.toml",
        description="An owner-only (0600) TOML file, relative to the workspace, that holds the secrets instead of "
        "citra.toml: `database_url` and, per alert channel by its name (or kind), `[channels.NAME]` with "
        "`bot_token`, `smtp_user`, `smtp_password`, `secret` or `url`; refused when others may read it; the default "
        "may be missing; empty: none. Environment variables win over it: CITRA_DATABASE_URL and "
        "CITRA_CHANNEL_<NAME>_<KEY> (e.g. CITRA_CHANNEL_TELEGRAM_BOT_TOKEN). `citra init` writes a commented one.",
    )
    accounts: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Official accounts per platform (x, instagram, facebook, youtube, tiktok): their posts are "
        "marked official and left out of public-opinion measures.",
    )
    keywords: list[str] = Field(
        default_factory=list, description="Words that make a news article relevant (any case), for `citra collect`."
    )
    leaders: list[Leader] = Field(default_factory=list, description="Leaders whose image is tracked.")
    entities: list[Entity] = Field(
        default_factory=list, description="Comparison entities, used as controls by `citra impact`."
    )
    feeds: list[Feed] = Field(default_factory=list, description="News feeds for `citra collect`.")
    retention: Retention = Field(default_factory=Retention, description="How long data is kept.")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Language settings.")
    opd: dict[str, str] = Field(
        default_factory=dict,
        description="Agency (OPD) names of this government per canonical service key, e.g. "
        '`penerangan_jalan = "Dinas Perkim"`; keys left out keep the usual name (see src/citra/nlp/data/README.md).',
    )
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="Crisis detection and alert channels.")
    reports: ReportSettings = Field(
        default_factory=ReportSettings, description="The monthly report sent on schedule by `citra watch`."
    )
    index: IndexSettings = Field(
        default_factory=IndexSettings, description="Correction of the index for the classifier's errors."
    )
    inbox: InboxSettings = Field(default_factory=InboxSettings, description="Inbox deadlines and priority.")
    opd_contacts: dict[str, OpdContact] = Field(
        default_factory=dict,
        description='Contacts told of assignments and deadlines per OPD, e.g. `[opd_contacts."Dinas PUPR"]` with '
        '`email = "pupr@example.go.id"` and/or `telegram_chat = "-100123"`; messages go through the first email '
        "and telegram alert channels (their secrets stay in secrets.toml).",
    )
    web: WebSettings = Field(default_factory=WebSettings, description="The dashboard server.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Jakarta)") from None
        return value

    @field_validator("accounts")
    @classmethod
    def _known_platforms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {Platform.parse(k).value: [h.strip().lstrip("@").lower() for h in v] for k, v in value.items()}


class Environment(BaseSettings):
    """Settings from the environment, which override the file."""

    model_config = SettingsConfigDict(env_prefix="CITRA_")
    workspace: Path | None = Field(
        None, description="The workspace folder when a command is given no --workspace; unset: the current folder."
    )
    database_url: str | None = Field(None, description="Overrides `database_url` of citra.toml.")


@dataclass(frozen=True)
class Workspace:
    """A loaded workspace: where it lives, what it says, and which database it uses."""

    root: Path
    settings: Settings
    database_url: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def rejects_dir(self) -> Path:
        return self.root / "rejects"

    def path(self, value: str) -> Path:
        """A path from citra.toml: relative paths are relative to the workspace folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.root / path

    def official_handles(self) -> frozenset[tuple[str, str]]:
        """(platform, lower-case handle) of every official account."""
        return frozenset((p, h) for p, handles in self.settings.accounts.items() for h in handles)


def resolve_root(workspace: Path | None) -> Path:
    """The workspace folder: the option, else ``CITRA_WORKSPACE``, else the current directory."""
    if workspace is not None:
        return workspace.expanduser().resolve()
    env = Environment()
    return (env.workspace or Path.cwd()).expanduser().resolve()


def load(workspace: Path | None = None) -> Workspace:
    """Read and validate ``citra.toml`` of a workspace."""
    root = resolve_root(workspace)
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_NAME} in {root}; create a workspace with: citra init {root} --org NAME")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    credentials.warn_exposed(path, data)
    data = credentials.apply(root, data)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None
    env = Environment()
    url = env.database_url or settings.database_url or sqlite_url(root / DB_NAME)
    return Workspace(root=root, settings=settings, database_url=url)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _toml_str(value: str) -> str:
    # A JSON string literal is a valid TOML basic string for everything json.dumps emits.
    return json.dumps(value, ensure_ascii=False)


def render_template(org: str, timezone: str = "Asia/Jakarta") -> str:
    """The commented citra.toml that ``citra init`` writes."""
    return f"""# citra workspace settings. Edit with any text editor; `citra db upgrade` is not needed after edits.

organisation = {_toml_str(org)}
timezone = {_toml_str(timezone)}   # times are stored in UTC and shown in this zone

# Leave empty for the embedded SQLite database in this folder, or point at PostgreSQL for a team:
# database_url = "postgresql+psycopg://citra@127.0.0.1:5432/citra"   (CITRA_DATABASE_URL overrides)
database_url = ""

# Secrets (a database password, the alert channels' tokens and passwords) go in this owner-only file, written by
# `citra init` with examples, or in environment variables such as CITRA_CHANNEL_TELEGRAM_BOT_TOKEN; not here.
secrets_file = "secrets.toml"

# Words that make a post or news article relevant (used by `citra collect` and the X API connector).
keywords = []

# Official accounts of the government, per platform (x, instagram, facebook, youtube, tiktok).
# Posts written by these accounts are marked official and left out of public-opinion measures.
[accounts]
x = []
instagram = []
facebook = []
youtube = []

# Leaders whose image is tracked, with the names people use for them, for example:
# [[leaders]]
# name = "Budi Santoso"
# role = "Wali Kota"
# aliases = ["pak budi", "wali kota", "walkot"]

# Comparison entities (neighbouring cities, the province), for example:
# [[entities]]
# name = "Kota Depok"
# aliases = ["pemkot depok", "depok"]

# News feeds for `citra collect`, for example:
# [[feeds]]
# name = "Antara Megapolitan"
# url = "https://example.org/rss/megapolitan.xml"
# keywords = ["bekasi"]   # optional: overrides the workspace keywords for this feed

[retention]
posts_days = 0     # 0 keeps posts for ever
raw_days = 0       # drop the original raw records after this many days (0: keep)
rejects_days = 90  # delete rejects logs after this many days
labels_days = 0    # labelled texts imported without a post (training data); a post's labels go with the post
audit_days = 0     # audit log entries (0: keep)
tokens_days = 90   # revoked API tokens, after their last use
reports_days = 0   # report files in reports/ (0: keep)

[nlp]
lexicons = []           # extra slang lists (CSV: slang,formal) added to the shipped one
topics = ""             # a topic taxonomy file (TOML) ...
topics_mode = "extend"  # ... that extends or replaces the shipped one
sentiment_model = ""    # a folder written by `citra train sentiment` (default: the shipped model)
deep = "attention"      # deep tier (sentence encoder) after the fast one: "attention" (negative or
                        # needing a response), "all" citizens' posts, or "off"

# The agency (OPD) that handles each canonical service here; keys left out keep the usual name
# (list: src/citra/nlp/data/README.md). For example:
[opd]
# jalan = "Dinas PUPR"
# penerangan_jalan = "Dinas Perhubungan"
# air_minum = "Perumda Air Minum Tirta Jaya"

[inbox]
deadline_days = 3   # working days an OPD has to respond (Monday to Friday, holidays left out)
warn_days = 1       # `citra watch` warns the OPD's contact this many working days before the deadline (0: never)
holidays = []       # public holidays, e.g. [2026-12-25]
# deadlines = {{ "Dinas PUPR" = 5 }}   # per-OPD deadlines in working days
# Who `citra watch` tells of new assignments and deadlines, through the first email / telegram alert channel:
# [opd_contacts."Dinas PUPR"]
# email = "pupr@example.go.id"
# telegram_chat = "-1001234567890"

[web]
# Reverse proxies (nginx, a load balancer) whose X-Forwarded-For / X-Forwarded-Proto headers are believed,
# e.g. ["127.0.0.1", "10.0.0.0/8"]; empty: the headers are ignored (the connecting address is the client).
trusted_proxies = []

[alerts]
threshold = 5.0         # spike score that raises an alert (higher: fewer alerts)
watch_minutes = 30      # how often `citra watch` collects, analyses and scans
# Channels, for example (their bot_token, smtp_password, secret go in secrets.toml, under [channels.KIND-OR-NAME]):
# [[alerts.channels]]
# kind = "telegram"
# chat_id = "-1001234567890"
# [[alerts.channels]]
# kind = "email"
# smtp_host = "smtp.example.go.id"
# sender = "citra@example.go.id"
# to = ["humas@example.go.id"]
# [[alerts.channels]]
# kind = "webhook"
# url = "https://example.go.id/hooks/citra"

# The monthly report, sent by `citra watch` on the first working day of each month (through the email and
# Telegram channels above):
# [reports]
# schedule = true
# recipients = ["walikota@example.go.id", "humas@example.go.id"]
# formats = ["pdf", "xlsx"]
# holidays = [2027-01-01]
"""


def init(root: Path, org: str, timezone: str = "Asia/Jakarta", *, force: bool = False) -> Workspace:
    """Create a workspace folder with a commented citra.toml; returns the loaded workspace."""
    root = root.expanduser().resolve()
    path = root / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; use --force to overwrite it")
    private.make_dir(root)
    text = render_template(org, timezone)
    try:
        Settings.model_validate(tomllib.loads(text))
    except ValidationError as exc:
        raise ConfigError(str(exc.errors()[0]["msg"])) from None
    private.write_text(path, text)
    credentials.create(root / credentials.DEFAULT_FILE)
    private.make_dir(root / "rejects")
    return load(root)


def env_database_url() -> str | None:
    """``CITRA_DATABASE_URL`` if set (used by tests and by `citra init`)."""
    return os.environ.get("CITRA_DATABASE_URL") or None
