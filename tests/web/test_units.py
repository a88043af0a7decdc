"""Small parts of the web package: cache, rate limiter, cursors, URLs, chart JSON, cleaning, translations."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import plotly.graph_objects as go
import pytest
from babel.messages.pofile import read_po

from citra.errors import CitraError
from citra.web import i18n
from citra.web.auth import LoginLimiter, hash_password, verify_password
from citra.web.cache import Memo
from citra.web.render import Formatter, chart_json, safe_url
from citra.web.text import clean


def test_memo_serves_stale_values_while_refreshing() -> None:
    memo = Memo(ttl=0.05)
    calls: list[int] = []
    done = threading.Event()

    def compute() -> int:
        calls.append(1)
        if len(calls) > 1:
            done.set()
        return len(calls)

    assert memo.get(("k",), compute) == 1
    assert memo.get(("k",), compute) == 1  # fresh
    time.sleep(0.06)
    assert memo.get(("k",), compute) == 1  # stale value now, refresh in the background
    assert done.wait(2)
    time.sleep(0.01)
    assert memo.get(("k",), compute) == 2
    memo.forget("k")
    assert memo.get(("k",), compute) == 3


def test_memo_is_bounded_and_does_not_cache_errors() -> None:
    memo = Memo(ttl=60, max_items=2)
    for i in range(5):
        memo.get(("x", i), lambda i=i: i)
    assert len(memo._items) == 2

    def boom() -> int:
        raise CitraError("no")

    with pytest.raises(CitraError):
        memo.get(("e",), boom)
    assert memo.get(("e",), lambda: 7) == 7


def test_login_limiter() -> None:
    limiter = LoginLimiter(limit=3, window=0.2, max_keys=2)
    key = ("admin", "10.0.0.1")
    for _ in range(3):
        assert limiter.retry_after(key) == 0
        limiter.fail(key)
    assert limiter.retry_after(key) > 0
    assert limiter.retry_after(("admin", "10.0.0.2")) == 0
    time.sleep(0.25)
    assert limiter.retry_after(key) == 0
    for i in range(5):
        limiter.fail((f"u{i}", "ip"))
    assert len(limiter._failures) == 2


def test_login_limiter_per_ip_and_bounded() -> None:
    """Failures over many names from one address hit the per-IP limit; memory stays bounded however many come."""
    limiter = LoginLimiter(limit=5, window=60, max_keys=100, ip_limit=8)
    for i in range(8):
        assert limiter.retry_after((f"nama{i}", "10.0.0.9")) == 0
        limiter.fail((f"nama{i}", "10.0.0.9"))
    assert limiter.retry_after(("siapa-saja", "10.0.0.9")) > 0, "the address is refused for every name"
    assert limiter.retry_after(("siapa-saja", "10.0.0.10")) == 0, "other addresses are not"
    limiter.reset(("nama0", "10.0.0.9"))
    assert limiter.retry_after(("nama0", "10.0.0.9")) > 0, "a success does not clear the address's failures"
    for i in range(10_000):
        limiter.fail((f"n{i}", f"192.0.2.{i % 250}"))
    assert len(limiter._failures) <= 100
    assert max(len(times) for times in limiter._failures.values()) <= 8


def test_passwords() -> None:
    stored = hash_password("sepuluh-karakter")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "sepuluh-karakter")
    assert not verify_password(stored, "salah-sekali-ya")
    assert not verify_password(None, "sepuluh-karakter")
    assert not verify_password("not-a-hash", "x")
    with pytest.raises(CitraError):
        hash_password("pendek")


def test_safe_url() -> None:
    assert safe_url("https://x.com/a/status/1") == "https://x.com/a/status/1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil", "http://", None, "", "ftp://x/y", "http://[::1"):
        assert safe_url(bad) is None


def test_chart_json_cannot_close_the_script_tag() -> None:
    fig = go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))
    out = str(chart_json(fig))
    assert "</script>" not in out and "<" not in out and "\\u003cscript\\u003e" in out


def test_clean() -> None:
    assert clean("a\x00b") == "ab"
    assert clean(None) == ""
    assert clean("x\ud800y") == "x?y"


def test_formatter() -> None:
    from zoneinfo import ZoneInfo

    f = Formatter("id", ZoneInfo("Asia/Jakarta"))
    assert f.num(1234567) == "1.234.567"
    assert f.num(0.5, 1) == "0,5"
    assert f.pct(0.256) == "26%"
    assert f.when(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == "1 Jan 2026 07.00"
    assert f.hours(26.5) == "1 hr 2 j"
    assert Formatter("en", ZoneInfo("Asia/Jakarta")).num(1234.5, 1) == "1,234.5"


def test_every_message_has_an_indonesian_translation() -> None:
    used = i18n.message_ids()
    messages = []
    for po in (i18n.LOCALE_DIR / "id" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as f:
            messages += list(read_po(f))
    translated = {m.id for m in messages if m.id and m.string}
    assert used - translated == set()


def test_catalogs_load_from_po_without_mo(tmp_path) -> None:
    import shutil

    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    found = i18n.load(tmp_path / "locale")
    assert found["id"].gettext("Overview") == "Ringkasan"
    assert found["en"].gettext("Overview") == "Overview"
    assert i18n.choose("en", "id") == "en" and i18n.choose("fr", None) == "id" and i18n.choose(None, "en") == "en"


def test_an_area_catalog_is_chained_behind_the_main_one(tmp_path) -> None:
    import shutil

    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    area = tmp_path / "locale" / "id" / "LC_MESSAGES" / "zz-area.po"
    area.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Only here"\nmsgstr "Hanya di sini"\n'
    )
    found = i18n.load(tmp_path / "locale")
    assert found["id"].gettext("Only here") == "Hanya di sini"
    assert found["id"].gettext("Overview") == "Ringkasan"  # the main catalog still answers first
    assert found["en"].gettext("Only here") == "Only here"


def test_compiled_catalogs_are_current() -> None:
    """Each shipped .mo holds exactly the translations of its .po (by content: a clone's file times say nothing)."""
    import gettext

    from babel.messages.pofile import read_po

    for lang in i18n.LANGUAGES:
        for path in (i18n.LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"):
            with path.open("rb") as f:
                po = {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}
            with path.with_suffix(".mo").open("rb") as f:
                mo = gettext.GNUTranslations(f)
            assert all(mo.gettext(key) == value for key, value in po.items() if isinstance(key, str)), path


def test_memo_peek_does_not_wait() -> None:
    memo = Memo(ttl=60)
    started = threading.Event()
    release = threading.Event()

    def slow() -> int:
        started.set()
        release.wait(2)
        return 42

    assert memo.peek(("p",), slow) is None  # computing in the background
    assert started.wait(2)
    release.set()
    deadline = time.monotonic() + 2
    while memo.peek(("p",), slow) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert memo.peek(("p",), slow) == 42
