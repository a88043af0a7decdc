"""Pengaturan's forms over HTTP: a setting saved to citra.toml with its comments kept and used at once, a wrong
value refused beside its field (file unchanged), channel secrets kept out of citra.toml and never shown back, OPD
users chosen from a list, and an export file uploaded to a loopback server, imported, analysed and summarised."""

from __future__ import annotations

import gzip
import re
import socket
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from citra import config
from citra.records import Platform
from citra.store import Store
from tests.web.conftest import Filled, csrf_of, http_login


def _toml(filled: Filled) -> str:
    return (filled.ws.root / config.CONFIG_NAME).read_text(encoding="utf-8")


def test_settings_forms_write_citra_toml(as_user, filled: Filled) -> None:
    admin, token = as_user("admin")
    before = _toml(filled)
    comments = [line for line in before.splitlines() if line.startswith("#")]
    saved = admin.post(
        "/pengaturan/konfigurasi/keywords",
        data={"csrf_token": token, "keywords": "bekasi\n  pemkot bekasi \nbekasi\n"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = _toml(filled)
    assert [line for line in after.splitlines() if line.startswith("#")] == comments
    assert config.load(filled.ws.root).settings.keywords == ["bekasi", "pemkot bekasi"]
    page = admin.get("/pengaturan").text
    assert "pemkot bekasi</textarea>" in page  # the running app uses the new settings
    assert "Tersimpan di citra.toml" in page

    refused = admin.post(
        "/pengaturan/konfigurasi/thresholds", data={"csrf_token": token, "threshold": "nol", "watch_minutes": "0"}
    )
    assert refused.status_code == 400
    errors = re.findall(r'class="field-error" role="alert">([^<]+)<', refused.text)
    assert errors == [
        "Isi angka lebih dari 0 (misalnya 5 atau 4,5).",
        "Isi jumlah menit berupa bilangan bulat dari 1 sampai 1440.",
    ]
    assert 'value="nol"' in refused.text  # what was typed is shown again
    assert _toml(filled) == after

    wrong = admin.post("/pengaturan/konfigurasi/accounts", data={"csrf_token": token, "accounts_x": "https://x.com/a"})
    assert wrong.status_code == 400 and "“https://x.com/a” bukan nama akun" in wrong.text
    accounts = {"csrf_token": token, "accounts_x": "@HumasKota\npemkot.bekasi", "accounts_youtube": "kota-bekasi"}
    assert admin.post("/pengaturan/konfigurasi/accounts", data=accounts, follow_redirects=False).status_code == 303
    assert config.load(filled.ws.root).settings.accounts["x"] == ["humaskota", "pemkot.bekasi"]
    rows = {"csrf_token": token, "leader_name": ["Tri Adhianto", ""], "leader_role": ["Wali Kota", ""]}
    rows["leader_aliases"] = ["mas tri, walkot", ""]
    assert admin.post("/pengaturan/konfigurasi/leaders", data=rows, follow_redirects=False).status_code == 303
    leader = config.load(filled.ws.root).settings.leaders[0]
    assert (leader.name, leader.aliases) == ("Tri Adhianto", ["mas tri", "walkot"])
    opd = {"csrf_token": token, "opd_jalan": "Dinas Bina Marga dan Tata Air"}
    assert admin.post("/pengaturan/konfigurasi/opd", data=opd, follow_redirects=False).status_code == 303
    users = admin.get("/pengaturan").text
    assert "<option>Dinas Bina Marga dan Tata Air</option>" in users  # OPD users are chosen from the map
    audit = [e for e in admin.get("/pengaturan").text.split("<tr>") if "settings.opd" in e]
    assert audit and "admin" in audit[0]

    analyst, analyst_token = as_user("analis")
    denied = analyst.post("/pengaturan/konfigurasi/keywords", data={"csrf_token": analyst_token, "keywords": "x"})
    assert denied.status_code == 403


def test_channel_secrets_and_test_send(as_user, filled: Filled) -> None:
    admin, token = as_user("admin")
    channel = {
        "csrf_token": token,
        "index": "",
        "action": "save",
        "kind": "webhook",
        "name": "posko",
        "min_severity": "high",
        "url": "http://127.0.0.1:9/hook-RAHASIA",  # nothing listens on port 9: the test send fails
        "secret": "kunci-RAHASIA-12345",
    }
    assert admin.post("/pengaturan/kanal", data=channel, follow_redirects=False).status_code == 303
    text = _toml(filled)
    assert "RAHASIA" not in text and 'name = "posko"' in text
    secrets = tomllib.loads((filled.ws.root / "secrets.toml").read_text())
    assert secrets["channels"]["posko"] == {"url": "http://127.0.0.1:9/hook-RAHASIA", "secret": "kunci-RAHASIA-12345"}
    page = admin.get("/pengaturan").text
    assert "RAHASIA" not in page and "••••2345" in page
    # saving again with the secret fields empty keeps the secrets
    again = channel | {"index": "0", "url": "", "secret": "", "min_severity": "critical"}
    assert admin.post("/pengaturan/kanal", data=again, follow_redirects=False).status_code == 303
    loaded = config.load(filled.ws.root).settings.alerts.channels[0]
    assert loaded.min_severity == "critical" and loaded.secret == "kunci-RAHASIA-12345"
    sent = admin.post("/pengaturan/kanal", data={"csrf_token": token, "index": "0", "action": "test"})
    assert 'id="test-result">Pesan uji gagal' in sent.text and "RAHASIA" not in sent.text
    received: list[bytes] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["content-length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Hook) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        hook = channel | {"index": "0", "url": f"http://127.0.0.1:{server.server_port}/hook", "secret": ""}
        assert admin.post("/pengaturan/kanal", data=hook, follow_redirects=False).status_code == 303
        sent = admin.post("/pengaturan/kanal", data={"csrf_token": token, "index": "0", "action": "test"})
        server.shutdown()
    assert 'id="test-result">Pesan uji terkirim' in sent.text
    assert len(received) == 1 and b"pesan uji dari citra" in received[0]
    bad = admin.post("/pengaturan/kanal", data=channel | {"kind": "email", "name": "surat", "sender": "bukan-email"})
    assert bad.status_code == 400 and "Isi alamat email" in bad.text


CSV = (
    "id,created_at,text,author,platform\n"
    "u1,2026-10-01T08:00:00Z,Jalan di depan pasar rusak parah mohon diperbaiki,warga_a,x\n"
    "u2,2026-10-01T09:00:00Z,Lampu jalan mati sudah seminggu,warga_b,x\n"
    "u3,not-a-date,Baris dengan tanggal rusak,warga_c,x\n"
)


def test_upload_over_http_ingests_and_reports_rejects(app, filled: Filled) -> None:
    from tests.web.conftest import serve

    with serve(app) as url:
        client = http_login(url, "admin")
        token = csrf_of(client.get("/pengaturan/unggah").text)
        body = gzip.compress(CSV.encode())
        done = client.post(
            "/pengaturan/unggah",
            data={"csrf_token": token},
            files={"file": ("ekspor warga.csv.gz", body, "application/gzip")},
        )
        assert done.status_code == 303
        app.state.uploads.wait("upload", 120)
        page = client.get("/pengaturan/unggah").text
        assert "Berkas diterima: ekspor warga.csv.gz" in page and "Impor ekspor warga.csv.gz selesai." in page
        assert 'data-state="done"' in page, page
        counts = dict(re.findall(r'data-k="(\w+)">([\d.]+)<', page))
        assert counts == {"inserted": "2", "duplicates": "0", "rejected": "1"}
        assert "Baris 4:" in page or "Baris 3:" in page  # the first reject with its reason
        assert not list((filled.ws.root / "uploads").iterdir())  # the uploaded file is not kept
        with Store.open(filled.ws.database_url) as store:
            assert store.lookup("u1", Platform.X)[0].annotation is not None  # analysed, so the dashboard shows it
        token = csrf_of(page)
        again = client.post("/pengaturan/unggah", data={"csrf_token": token}, files={"file": ("lagi.csv", CSV)})
        assert again.status_code == 303
        app.state.uploads.wait("upload", 120)
        counts = dict(re.findall(r'data-k="(\w+)">([\d.]+)<', client.get("/pengaturan/unggah").text))
        assert counts == {"inserted": "0", "duplicates": "2", "rejected": "1"}
        # too large by its declared size: refused before the body is read
        host, port = url.removeprefix("http://").split(":")
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            head = (
                f"POST /pengaturan/unggah HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
                f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {10**12}\r\n\r\n"
            )
            raw.sendall(head.encode())
            assert raw.recv(64).startswith(b"HTTP/1.1 413")
        viewer = http_login(url, "pemirsa")
        assert viewer.get("/pengaturan/unggah").status_code == 403
