"""Peringatan over HTTP on both databases: an alert's coordinated driver in plain words (Indonesian first), its
handles escaped, a link to Jaringan over the driver's days; an alert stored without it shows no such block."""

from __future__ import annotations

import dataclasses

from citra.store import Store

from .conftest import XSS


def test_alert_card_names_the_coordinated_groups(as_user, filled) -> None:  # type: ignore[no-untyped-def]
    with Store.open(filled.ws.database_url) as store:
        [alert] = store.alerts()
        client, _ = as_user("pemirsa")
        assert "bergerak serempak" not in client.get("/peringatan?status=all").text  # stored before the driver
        group = {
            "kind": "co-post",
            "accounts": ["suara_warga0", XSS, "suara_warga2"],
            "n_accounts": 23,
            "posts": 161,
            "bursts": 7,
            "score": 12.4,
            "first": alert.start.isoformat(),
            "shared": [],
        }
        ring = group | {"kind": "co-repost", "accounts": ["ringan_0"], "n_accounts": 5, "shared": ["@sumber"]}
        driver = {
            "since": alert.start.isoformat(),
            "until": alert.last_seen.isoformat(),
            "window_seconds": 60,
            "posts": 900,
            "total_groups": 2,
            "groups": [group, ring],
        }
        store.save_alert(dataclasses.replace(alert, drivers={**alert.drivers, "coordinated": driver}))
    page = client.get("/peringatan?status=all").text
    assert "Terdeteksi 2 kelompok akun yang bergerak serempak" in page
    assert "23 akun mengunggah teks hampir sama dalam hitungan detik (7 kali)" in page
    assert "5 akun membagikan ulang unggahan yang sama dalam hitungan detik (7 kali) · @sumber" in page
    assert "dan 20 akun lain" in page and "skor 12,4" in page and "perlu dicek" in page
    assert XSS not in page and "@&lt;script&gt;" in page
    day = alert.start.astimezone(filled.ws.tz).date().isoformat()
    assert f'<a href="/jaringan?since={day}&amp;until=' in page
    lowered = page.lower()
    assert " bot " not in lowered and "buzzer" not in lowered
    english = client.get("/peringatan?status=all&lang=en").text
    assert "23 accounts posted near-identical texts within seconds of each other (7 times)" in english
