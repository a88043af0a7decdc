"""The inbox's notices to OPDs (``citra watch``), through a real loopback Telegram Bot API and SMTP server: an
assignment is told once, a deadline about to pass is warned once, a failed send is tried again next cycle, and a
hand-back or a new OPD starts over. Both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from citra import config
from citra.inbox_notify import notify
from citra.records import InboxStatus
from citra.store import Store
from citra.workdays import Deadlines
from tests.alerts.test_channels import TOKEN, HTTPReceiver, SMTPReceiver, SMTPState, _serve, email, telegram
from tests.test_answers import T0, _fill, _note, _post

RULES = Deadlines.of(ZoneInfo("Asia/Jakarta"), default_days=3, warn_days=1)


@pytest.fixture
def bot() -> Iterator[HTTPReceiver]:
    """A loopback Telegram Bot API."""
    yield from _serve(HTTPReceiver())


@pytest.fixture
def mailbox() -> Iterator[SMTPReceiver]:
    """A loopback SMTP server that keeps what it receives."""
    yield from _serve(SMTPReceiver(SMTPState()))


def _workspace(ws: config.Workspace, bot: HTTPReceiver, mailbox: SMTPReceiver) -> config.Workspace:
    data = ws.settings.model_dump() | {
        "alerts": {
            "channels": [
                telegram(bot.base).model_dump(),
                email(mailbox.port, smtp_user="", smtp_password="").model_dump(),
            ]
        },
        "opd_contacts": {
            "Dinas PUPR": {"email": "pupr@kota.go.id", "telegram_chat": "-100777"},
            "Dinas Sosial": {"email": ["dinsos@kota.go.id"]},
            "Satpol PP": {"telegram_chat": "-100888"},
        },
    }
    return config.Workspace(ws.root, config.Settings.model_validate(data), ws.database_url)


def test_assignments_and_deadlines_are_told_once(
    store: Store, workspace: config.Workspace, bot: HTTPReceiver, mailbox: SMTPReceiver
) -> None:
    ws = _workspace(workspace, bot, mailbox)
    posts = [_post("a", 0, "warga1", "Jalan <b>berlubang</b> di depan pasar"), _post("b", 60, "warga2")]
    ids = _fill(store, posts, {"a": _note(opds=("Dinas PUPR",)), "b": _note(opds=("Dinas PUPR",))})
    early = T0 + timedelta(hours=3)  # Monday: nothing due yet
    assert notify(store, ws, early, RULES).assigned == 0  # suggested, not assigned: nobody is told
    store.inbox.assign(ids["a"], by="admin", opd="Dinas PUPR")
    store.inbox.assign(ids["b"], by="admin", opd="Dinas Kesehatan")  # no contact configured: not told
    done = notify(store, ws, early, RULES)
    assert (done.assigned, done.warned, done.errors) == (1, 0, ())
    (tg,) = bot.received
    assert tg.path == f"/bot{TOKEN}/sendMessage" and tg.json()["chat_id"] == "-100777"
    assert "Aduan baru untuk Dinas PUPR" in tg.json()["text"] and "&lt;b&gt;berlubang" in tg.json()["text"]
    (mail,) = mailbox.state.mails
    assert mail.recipients == ["pupr@kota.go.id"] and "Dinas PUPR" in mail.message()["Subject"]
    assert "Jalan <b>berlubang</b>" in mail.message().get_content()
    assert notify(store, ws, early, RULES).assigned == 0 and len(mailbox.state.mails) == 1  # remembered
    # Wednesday 08.00 WIB + 1 h: item a is due Thursday 08.00, within one working day: warned once
    wednesday = T0 + timedelta(days=2, hours=1)
    warned = notify(store, ws, wednesday, RULES)
    assert (warned.assigned, warned.warned) == (0, 1)
    assert "tenggat segera berakhir" in mailbox.state.mails[-1].message()["Subject"]
    assert notify(store, ws, wednesday + timedelta(days=3), RULES).warned == 0
    # moved to another OPD with a contact: that OPD is told, and warned of its own deadline
    store.inbox.assign(ids["a"], by="admin", opd="Dinas Sosial")
    moved = notify(store, ws, wednesday + timedelta(days=3), RULES)
    assert (moved.assigned, moved.warned) == (1, 1)
    assert mailbox.state.mails[-1].recipients == ["dinsos@kota.go.id"]
    assert "sudah lewat tenggat" in mailbox.state.mails[-1].message()["Subject"]
    # a done item is never warned
    store.inbox.assign(ids["a"], by="admin", opd="Dinas PUPR", status=InboxStatus.DONE)
    assert notify(store, ws, wednesday + timedelta(days=3), RULES) == type(moved)()


def test_a_notice_that_reached_no_one_is_tried_again(
    store: Store, workspace: config.Workspace, bot: HTTPReceiver, mailbox: SMTPReceiver
) -> None:
    ws = _workspace(workspace, bot, mailbox)
    ids = _fill(store, [_post("a", 0, "warga1"), _post("b", 5, "warga2")], {"a": _note(), "b": _note()})
    store.inbox.assign(ids["a"], by="admin", opd="Dinas PUPR")  # email and Telegram
    store.inbox.assign(ids["b"], by="admin", opd="Satpol PP")  # Telegram only
    bot.answers += [(401, {"ok": False, "description": "Unauthorized"})] * 2
    first = notify(store, ws, T0 + timedelta(hours=1), RULES)
    # PUPR got the email (remembered: the broken bot does not repeat it); Satpol PP got nothing
    assert first.assigned == 1 and len(first.errors) == 2 and len(mailbox.state.mails) == 1
    assert all(TOKEN not in e and "check bot_token" in e for e in first.errors)
    again = notify(store, ws, T0 + timedelta(hours=2), RULES)
    assert (again.assigned, again.errors) == (1, ()) and len(mailbox.state.mails) == 1
    assert bot.received[-1].json()["chat_id"] == "-100888"
