"""Every audited change of the team's shared state: interventions, labels, inbox assignments, users and API tokens.

Each function validates its input once, writes through the Store and records an audit entry naming the actor, so
the dashboard, the API, the CLI and the demo apply the same rules and leave the same trail. The Store offers no
transaction spanning a change and its audit entry, so the entry is written right after the change succeeded: a
refused or failed change leaves none. A settings change (Pengaturan) writes citra.toml through config_edit, which
keeps the file's comments and refuses a change that would not load.
"""

from __future__ import annotations

import dataclasses
import getpass
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citra import vocab
from citra.errors import CitraError, Forbidden, NotFound
from citra.records import (
    DEFAULT_MEASURE,
    WINDOW_DAYS,
    Alert,
    AlertNote,
    InboxItem,
    InboxNote,
    InboxStatus,
    Intervention,
    InterventionKind,
    Metric,
    Platform,
    Role,
    Sentiment,
    StoredPost,
    User,
)
from citra.store import Store

if TYPE_CHECKING:
    from citra.config import Workspace

NAME_MAX = 200  # intervention names
TEXT_MAX = 2000  # descriptions and notes
OPD_MAX = 128
PERSON_MAX = 80  # user names, assignees, audit actors
SOURCE_MAX = 64  # a label's source
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 1, 1)
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,80}")


def os_actor(channel: str = "cli") -> str:
    """``cli:rina``: the actor of a change made at this machine's shell (its OS user), for the audit log."""
    try:
        who = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and none in the password database
        who = "unknown"
    return f"{channel}:{who}"[:PERSON_MAX]


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str:
    """User-given text without NUL bytes (PostgreSQL refuses them), unencodable characters or surrounding blanks."""
    text = (value or "").replace("\x00", "").encode("utf-8", "replace").decode("utf-8").strip()
    if required and not text:
        raise CitraError(f"{field}: required")
    if len(text) > limit:
        raise CitraError(f"{field}: at most {limit} characters")
    return text


def account_name(value: str, what: str) -> str:
    """A user or token name as accounts keep it (letters, digits, _ . @ -), else a CitraError."""
    if not ACCOUNT_NAME.fullmatch(value):
        raise CitraError(f"{what} {value!r}: use 1-80 letters, digits, _ . @ or -")
    return value


def _audit(store: Store, actor: str, action: str, target: str, **detail: Any) -> None:
    store.accounts.audit(actor[:PERSON_MAX], action, target, **detail)


# interventions --------------------------------------------------------------------------------------------------


def add_intervention(
    store: Store,
    actor: str,
    name: str,
    day: date | str,
    kind: InterventionKind | str,
    description: str = "",
    metric: Metric | str | None = None,
    window_days: int | str | None = None,
) -> Intervention:
    """Record a strategy whose impact is to be measured from ``day`` on; its (cleaned) name must be new. The
    metric and window default to those of its kind (``records.DEFAULT_MEASURE``)."""
    chosen = vocab.parse(InterventionKind, kind, "kind")
    item = Intervention(
        _text(name, "name", NAME_MAX, required=True),
        vocab.day(day, "date", FIRST_DAY, LAST_DAY),
        chosen,
        _text(description, "description", TEXT_MAX),
        *_measure(chosen, metric, window_days),
    )
    store.add_intervention(item)
    _audit(
        store,
        actor,
        "intervention.add",
        item.name,
        date=item.date.isoformat(),
        kind=item.kind.value,
        metric=item.metric,
        window_days=item.window_days,
    )
    return item


def set_intervention_measure(
    store: Store, actor: str, name: str, metric: Metric | str, window_days: int | str
) -> Intervention:
    """Choose the metric and window an intervention's effect is measured on (the report and Strategi use them)."""
    item = store.intervention(_text(name, "name", NAME_MAX, required=True))
    chosen, days = _measure(item.kind, metric, window_days)
    store.set_intervention_measure(item.name, chosen, days)
    _audit(store, actor, "intervention.measure", item.name, metric=chosen, window_days=days)
    return dataclasses.replace(item, metric=chosen, window_days=days)


def _measure(kind: InterventionKind, metric: Metric | str | None, window_days: int | str | None) -> tuple[str, int]:
    """A valid (metric, window) pair; the kind's default for what is not given."""
    default_metric, default_days = DEFAULT_MEASURE[kind]
    chosen = vocab.parse(Metric, metric, "metric") if metric not in (None, "") else default_metric
    if window_days in (None, ""):
        return chosen.value, default_days
    try:
        days = int(window_days)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CitraError(f"window_days {window_days!r}: write a whole number of days") from None
    low, high = WINDOW_DAYS
    if not low <= days <= high:
        raise CitraError(f"window_days {days}: choose between {low} and {high} days")
    return chosen.value, days


# labels -----------------------------------------------------------------------------------------------------------


def post_by_native_id(store: Store, platform: Platform | str, native_id: str) -> StoredPost:
    """The stored post a shell names by platform and native id (NotFound when there is none)."""
    chosen = vocab.parse(Platform, platform, "platform")
    found = store.lookup(_text(native_id, "native_id", 128, required=True), chosen)
    if not found:
        raise NotFound(f"no stored post {native_id!r} on {chosen.value}")
    return found[0]


def set_label(
    store: Store,
    actor: str,
    post_id: int,
    *,
    sentiment: Sentiment | str | None = None,
    opd: str | None = None,
    needs_response: bool | None = None,
    via: str = "",
) -> StoredPost:
    """The team's labels of a stored post (the tasks given; the others keep theirs), which win over the model's
    everywhere; a sentiment label is also training data for ``citra train``, its source ``via:actor`` (e.g.
    ``web:rina``). Returns the post with its new labels; its annotation is still the model's."""
    chosen = vocab.parse(Sentiment, sentiment, "sentiment") if sentiment is not None else None
    routed = _text(opd, "opd", OPD_MAX, required=True) if opd is not None else None
    if chosen is None and routed is None and needs_response is None:
        raise CitraError("label: give a sentiment, an OPD or needs_response")
    found = store.get(post_id)
    source = f"{via}:{actor}" if via else actor
    # one transaction: the history (training data for a sentiment) and the post's current labels
    human = store.set_human(found.id, source[:SOURCE_MAX], sentiment=chosen, opd=routed, needs_response=needs_response)
    model = found.annotation
    detail: dict[str, Any] = {}
    if chosen is not None:
        detail |= {"label": chosen.value, "model": model.sentiment.value if model else None}
    if routed is not None:
        detail |= {"opd": routed, "model_opd": model.opds[0] if model and model.opds else None}
    if needs_response is not None:
        detail |= {"needs_response": needs_response, "model_needs_response": model.needs_response if model else None}
    _audit(store, actor, "label.set", f"post:{found.id}", **detail)
    return dataclasses.replace(found, human=human)


# the inbox --------------------------------------------------------------------------------------------------------


def may_route(user: User, item_opd: str | None) -> bool:
    """Admins update every inbox item; an OPD user only items of its own OPD."""
    return user.role is Role.ADMIN or (user.role is Role.OPD and item_opd is not None and item_opd == user.opd)


def queue_of(item: InboxItem) -> str | None:
    """The OPD whose queue holds an item: the one it is assigned to, else the suggested one unless that OPD handed
    it back."""
    if item.opd:
        return item.opd
    return item.suggested_opd if item.suggested_opd != item.returned_opd else None


def _routable(store: Store, user: User, post_id: int) -> InboxItem:
    if user.role not in (Role.ADMIN, Role.OPD):
        raise Forbidden("your role does not allow routing inbox items")
    current = store.inbox.item(post_id)
    if not may_route(user, queue_of(current)):
        raise Forbidden("you may only update items of your own OPD")
    return current


def _assignee(store: Store, name: str | None) -> str | None:
    """An assignee is an active user of the workspace, chosen by name (never free text)."""
    person = _text(name, "assignee", PERSON_MAX) or None
    if person is not None and person not in {u.name for u in store.accounts.users() if u.active}:
        raise CitraError(f"assignee {person!r}: not an active user")
    return person


def assign(
    store: Store,
    user: User,
    post_id: int,
    *,
    opd: str | None = None,
    assignee: str | None = None,
    status: InboxStatus | str | None = None,
    note: str | None = None,
) -> InboxItem:
    """Route an inbox item to an OPD and/or a person and set its status or note (None or blank keeps a value; a
    note of "" clears it). Admins route any item; an OPD user only its OPD's items, which stay in its OPD."""
    routed = _text(opd, "opd", OPD_MAX) or None
    person = _assignee(store, assignee)
    chosen = vocab.optional(InboxStatus, status, "status")
    text = _text(note, "note", TEXT_MAX) if note is not None else None
    _routable(store, user, post_id)
    if user.role is Role.OPD:
        routed = user.opd
    done = store.inbox.assign(post_id, by=user.name, opd=routed, assignee=person, status=chosen, note=text)
    detail = {"opd": done.opd, "assignee": done.assignee, "status": done.status.value, "note": text}
    _audit(store, user.name, "inbox.assign", f"post:{post_id}", **detail)
    return done


# alerts -----------------------------------------------------------------------------------------------------------


def acknowledge_alert(store: Store, actor: str, alert_id: int) -> Alert:
    """Someone has seen the alert and is on it (again: keeps the first acknowledgement)."""
    current = store.alert_work.get(alert_id)
    if current.work and current.work.acknowledged_at is not None:
        return current
    done = store.alert_work.update(alert_id, acknowledged_at=datetime.now(UTC), acknowledged_by=actor[:PERSON_MAX])
    _audit(store, actor, "alert.acknowledge", f"alert:{alert_id}")
    return done


def assign_alert(store: Store, actor: str, alert_id: int, assignee: str | None) -> Alert:
    """Give the alert to an active user (None or blank: to nobody); assigning also acknowledges it."""
    person = _assignee(store, assignee)
    values: dict[str, Any] = {"assignee": person}
    current = store.alert_work.get(alert_id)
    if person is not None and (current.work is None or current.work.acknowledged_at is None):
        values |= {"acknowledged_at": datetime.now(UTC), "acknowledged_by": actor[:PERSON_MAX]}
    done = store.alert_work.update(alert_id, **values)
    _audit(store, actor, "alert.assign", f"alert:{alert_id}", assignee=person)
    return done


def note_alert(store: Store, actor: str, alert_id: int, text: str) -> AlertNote:
    """Add a note (what was done, who was called) to the alert's history."""
    body = _text(text, "note", TEXT_MAX, required=True)
    note = store.alert_work.add_note(alert_id, actor[:PERSON_MAX], body)
    _audit(store, actor, "alert.note", f"alert:{alert_id}", note=body)
    return note


def resolve_alert(store: Store, actor: str, alert_id: int, note: str = "") -> Alert:
    """The team considers the crisis handled; a flare-up after this reopens it (see ``citra.alerts.scan``)."""
    body = _text(note, "note", TEXT_MAX)
    done = store.alert_work.update(alert_id, resolved_at=datetime.now(UTC), resolved_by=actor[:PERSON_MAX])
    if body:
        store.alert_work.add_note(alert_id, actor[:PERSON_MAX], body)
    _audit(store, actor, "alert.resolve", f"alert:{alert_id}", note=body or None)
    return done


def reopen_alert(store: Store, actor: str, alert_id: int, note: str = "") -> Alert:
    """Undo a resolve (by hand, or by the scan when the crisis flares again); the note says why."""
    body = _text(note, "note", TEXT_MAX)
    done = store.alert_work.update(alert_id, resolved_at=None, resolved_by=None)
    if body:
        store.alert_work.add_note(alert_id, actor[:PERSON_MAX], body)
    _audit(store, actor, "alert.reopen", f"alert:{alert_id}", note=body or None)
    return done


def assign_many(
    store: Store, user: User, post_ids: list[int], *, opd: str | None = None, assignee: str | None = None
) -> list[InboxItem]:
    """Route several items at once to an OPD and/or a person: all are checked before any is changed, and the
    action is one audit entry naming every item."""
    routed = _text(opd, "opd", OPD_MAX) or None
    person = _assignee(store, assignee)
    ids = sorted(set(post_ids))
    if not ids:
        raise CitraError("choose at least one item")
    if len(ids) > 500:
        raise CitraError("at most 500 items at once")
    if routed is None and person is None:
        raise CitraError("choose an OPD or a person")
    for pid in ids:
        _routable(store, user, pid)
    if user.role is Role.OPD:
        routed = user.opd
    done = [store.inbox.assign(pid, by=user.name, opd=routed, assignee=person) for pid in ids]
    _audit(store, user.name, "inbox.assign_bulk", f"posts:{len(ids)}", ids=ids, opd=routed, assignee=person)
    return done


def hand_back(store: Store, user: User, post_id: int, reason: str) -> InboxItem:
    """An OPD user returns an item that is not its OPD's to Humas (unassigned, new) with a required reason."""
    text = _text(reason, "reason", TEXT_MAX, required=True)
    if user.role is not Role.OPD or not user.opd:
        raise Forbidden("only an OPD user hands an item back")
    _routable(store, user, post_id)
    done = store.inbox.hand_back(post_id, by=user.name, opd=user.opd, reason=text)
    _audit(store, user.name, "inbox.hand_back", f"post:{post_id}", opd=user.opd, reason=text)
    return done


def set_draft(store: Store, user: User, post_id: int, draft: str) -> InboxItem:
    """Keep the reply draft with the item ("" clears it)."""
    text = _text(draft, "draft", TEXT_MAX)
    _routable(store, user, post_id)
    done = store.inbox.set_draft(post_id, by=user.name, draft=text)
    _audit(store, user.name, "inbox.draft", f"post:{post_id}", draft=text)
    return done


def add_note(store: Store, user: User, post_id: int, text: str) -> InboxNote:
    """Add a note, with its author and time, to an item."""
    body = _text(text, "note", TEXT_MAX, required=True)
    _routable(store, user, post_id)
    note = store.inbox.add_note(post_id, author=user.name, text=body)
    _audit(store, user.name, "inbox.note", f"post:{post_id}", note=body)
    return note


# users and tokens -------------------------------------------------------------------------------------------------


def add_user(
    store: Store, actor: str, name: str, password: str, role: Role | str = Role.VIEWER, opd: str | None = None
) -> User:
    """Add a dashboard user; the password is kept as an argon2 hash and must be long enough."""
    from citra.web.auth import hash_password  # the password rules live with the web's authentication

    chosen = vocab.parse(Role, role, "role")
    unit = _text(opd, "opd", OPD_MAX) or None
    if chosen is Role.OPD and unit is None:
        raise CitraError("opd: a user with role opd needs the name of its OPD")
    created = store.accounts.add_user(account_name(name, "user name"), hash_password(password), chosen, unit)
    _audit(store, actor, "user.add", created.name, role=chosen.value, opd=created.opd)
    return created


def deactivate_user(store: Store, actor: str, name: str) -> None:
    """Deactivate a user: their sessions and API tokens stop working. Nobody deactivates their own account."""
    if name == actor:
        raise CitraError("you cannot deactivate your own account")
    # the epoch too: reactivating the account later must not revive sessions (or copied cookies) from before
    store.accounts.update_user(name, active=False, end_sessions=True)
    _audit(store, actor, "user.deactivate", name)


def activate_user(store: Store, actor: str, name: str) -> None:
    """Reactivate a user: they log in again (sessions from before the deactivation stay ended)."""
    store.accounts.update_user(name, active=True, end_sessions=True)
    _audit(store, actor, "user.activate", name)


def set_password(store: Store, actor: str, name: str, password: str) -> None:
    """Set a new password (argon2 hash, length rule) and end every session of the user."""
    from citra.web.auth import hash_password

    store.accounts.update_user(name, password_hash=hash_password(password), end_sessions=True)
    _audit(store, actor, "user.passwd", name)


def set_role(store: Store, actor: str, name: str, role: Role | str, opd: str | None = None) -> User:
    """Change a user's role (an opd role needs its OPD; other roles drop it) and end their sessions.

    Nobody changes their own role, so that an admin cannot lock the workspace out of administration by mistake."""
    chosen = vocab.parse(Role, role, "role")
    current = store.accounts.user(name)
    if name == actor:
        raise CitraError("you cannot change your own role")
    unit = _text(opd, "opd", OPD_MAX) or (current.opd if chosen is Role.OPD else None)
    if chosen is Role.OPD and unit is None:
        raise CitraError("opd: a user with role opd needs the name of its OPD")
    if chosen is not Role.OPD:
        unit = None
    store.accounts.update_user(name, role=chosen, opd=unit, end_sessions=True)
    _audit(store, actor, "user.role", name, role=chosen.value, opd=unit, was=current.role.value)
    return store.accounts.user(name)


def create_token(store: Store, actor: str, owner: str, name: str) -> str:
    """A new API token acting as ``owner``; returns the secret, which is shown once (only its digest is kept)."""
    from citra.web.auth import new_token

    token = new_token()
    store.accounts.add_token(owner, account_name(name, "token name"), token)
    _audit(store, actor, "token.create", f"{owner}/{name}")
    return token


def revoke_token(store: Store, actor: str, owner: str, name: str) -> None:
    """Revoke ``owner``'s token called ``name``."""
    store.accounts.revoke_token(owner, name)
    _audit(store, actor, "token.revoke", f"{owner}/{name}")


# saved searches -------------------------------------------------------------------------------------------------

SEARCH_NAME_MAX = 80


def save_search(store: Store, user: User, name: str, params: dict[str, str]) -> int:
    """Save the Percakapan slice ``params`` (URL parameters, checked by ``citra.filters.parse``) as ``name``,
    shared by the team; returns its id."""
    from citra import filters

    label = _text(name, "name", SEARCH_NAME_MAX, required=True)
    kept = {k: _text(v, k, filters.TEXT_MAX) for k, v in params.items() if k in filters.PARAMS and k != "saved"}
    kept = {k: v for k, v in kept.items() if v}
    filters.parse(kept)  # a bad value fails here, not when the search is applied
    for day in ("since", "until"):
        if day in kept:
            kept[day] = vocab.day(kept[day], day, FIRST_DAY, LAST_DAY).isoformat()
    saved = store.saved.add(label, kept, user.name)
    _audit(store, user.name, "search.save", f"search:{saved.id}", name=label, params=kept)
    return saved.id


def _own_search(store: Store, user: User, saved_id: int) -> str:
    """The name of saved search ``saved_id`` when ``user`` may change it (its creator or an admin)."""
    found = store.saved.get(saved_id)
    if user.role is not Role.ADMIN and found.created_by != user.name:
        raise Forbidden("only the person who saved this search, or an admin, may change it")
    return found.name


def rename_search(store: Store, user: User, saved_id: int, name: str) -> None:
    """Rename a saved search (its creator or an admin)."""
    was = _own_search(store, user, saved_id)
    label = _text(name, "name", SEARCH_NAME_MAX, required=True)
    store.saved.rename(saved_id, label)
    _audit(store, user.name, "search.rename", f"search:{saved_id}", name=label, was=was)


def watch_search(store: Store, user: User, saved_id: int, watched: bool) -> None:
    """Mark a saved search "Pantau" (an alert scope: ``citra alerts scan`` looks for spikes within it) or stop
    watching it; analysts and admins, since it decides what the team is alerted about."""
    if user.role not in (Role.ADMIN, Role.ANALYST):
        raise Forbidden("only an analyst or an admin may choose which searches are watched")
    found = store.saved.get(saved_id)
    store.saved.watch(saved_id, watched)
    _audit(store, user.name, "search.watch", f"search:{saved_id}", name=found.name, watched=watched)


def delete_search(store: Store, user: User, saved_id: int) -> None:
    """Delete a saved search (its creator or an admin)."""
    was = _own_search(store, user, saved_id)
    store.saved.delete(saved_id)
    _audit(store, user.name, "search.delete", f"search:{saved_id}", name=was)


# workspace settings ---------------------------------------------------------------------------------------------


def change_settings(
    store: Store,
    actor: str,
    root: Path,
    section: str,
    value: Any,
    secrets: Mapping[str, Mapping[str, str]] | None = None,
) -> Workspace:
    """Write one section of the workspace's citra.toml (its secrets to the secrets file), keeping the file's
    comments, and audit it; returns the reloaded workspace. The audit entry holds the new value, never a secret
    (which channels have one is enough)."""
    from pydantic_core import to_jsonable_python

    from citra import config, config_edit

    config_edit.change(root, section, value, secrets)
    detail: dict[str, Any] = {"value": to_jsonable_python(value)}  # holidays are dates
    if secrets is not None:
        detail["secrets_for"] = sorted(name for name, keys in secrets.items() if any(keys.values()))
    _audit(store, actor, f"settings.{section}", "citra.toml", **detail)
    return config.load(root)


TOPIC_TERMS_MAX = 10
_TOPIC_TERM = re.compile(r"[a-z]{3,40}(?: [a-z]{3,40})?")


def add_topic(
    store: Store, user: User, ws: Workspace, name: str, terms: list[str], post_ids: list[int] | None = None
) -> tuple[Workspace, str]:
    """Make a new issue (or any words) a topic: append it to the workspace's taxonomy file with ``terms`` (words
    or two-word phrases of normalised text) as its patterns; returns the reloaded workspace and the topic's id.
    Admins and analysts only. Posts already annotated get the topic when they are next analysed."""
    from citra import taxonomy_edit

    if user.role not in (Role.ADMIN, Role.ANALYST):
        raise Forbidden("only an admin or an analyst may add a topic")
    label = _text(name, "name", NAME_MAX, required=True)
    words = list(dict.fromkeys(" ".join(t.split()).lower() for t in terms if t and t.strip()))
    if not words or len(words) > TOPIC_TERMS_MAX:
        raise CitraError(f"a topic needs 1 to {TOPIC_TERMS_MAX} terms")
    bad = [t for t in words if not _TOPIC_TERM.fullmatch(t)]
    if bad:
        raise CitraError(f"not a term (letters only, one or two words): {bad[0][:60]!r}")
    fresh, tid = taxonomy_edit.add_topic(ws, label, words)
    detail: dict[str, Any] = {"name": label, "patterns": words}
    if post_ids:
        detail["posts"] = sorted(set(post_ids))[:200]
    _audit(store, user.name, "taxonomy.add_topic", f"topic:{tid}", **detail)
    return fresh, tid
