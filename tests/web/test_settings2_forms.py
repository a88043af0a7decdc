"""Pengaturan's forms for the scheduled report, the inbox deadlines and the OPDs' contacts, over real HTTP on both
databases: each saves to citra.toml (comments kept, audited) and citra.config loads it; a wrong value is refused
beside its field with a 400 and the file unchanged; an OPD's contact gets a test notice through a real SMTP
stand-in, the way the inbox's notices travel."""

from __future__ import annotations

import re
from datetime import date

from citra import config
from tests.alerts.test_channels import SMTPReceiver, SMTPState, _serve
from tests.web.conftest import Filled, csrf_of, http_login, serve


def _toml(filled: Filled) -> str:
    return (filled.ws.root / config.CONFIG_NAME).read_text(encoding="utf-8")


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _errors(html: str) -> list[str]:
    return re.findall(r'class="field-error" role="alert">([^<]+)<', html)


def test_report_inbox_and_contact_forms(app, filled: Filled) -> None:
    with serve(app) as url:
        admin = http_login(url, "admin")
        page = admin.get("/pengaturan").text
        token = csrf_of(page)
        before = _toml(filled)

        report = {"csrf_token": token, "schedule": "1", "recipients": "walikota@kota.go.id,\nhumas@kota.go.id"}
        report |= {"format_pdf": "1", "format_xlsx": "1", "holidays": "01-01-2027, 2026-12-25"}
        assert admin.post("/pengaturan/konfigurasi/reports", data=report).status_code == 303
        saved = config.load(filled.ws.root).settings.reports
        assert saved.schedule and saved.recipients == ["walikota@kota.go.id", "humas@kota.go.id"]
        assert saved.formats == ["pdf", "xlsx"] and not saved.telegram
        assert saved.holidays == [date(2026, 12, 25), date(2027, 1, 1)]
        assert _comments(_toml(filled)) == _comments(before)

        after = _toml(filled)
        bad = admin.post("/pengaturan/konfigurasi/reports", data={"csrf_token": token, "recipients": "walikota@"})
        assert bad.status_code == 400
        assert _errors(bad.text) == [
            "“walikota@” bukan alamat email (misalnya humas@kota.go.id).",
            "Pilih paling sedikit satu berkas: PDF dan/atau Excel.",
        ]
        assert ">walikota@</textarea>" in bad.text  # what was typed is shown again
        assert _toml(filled) == after

        opds = re.findall(r'name="contact_opd" value="([^"]+)"', page)
        assert {"Dinas PUPR", "Dinas Kesehatan"} <= set(opds)
        assert "<option>Dinas PUPR</option>" in page  # a per-OPD deadline's OPD is chosen from a list
        inbox = {"csrf_token": token, "deadline_days": "4", "warn_days": "2", "holidays": "25-12-2026"}
        inbox |= {"deadline_opd": ["Dinas PUPR", ""], "deadline_days_for": ["7", ""]}
        assert admin.post("/pengaturan/konfigurasi/inbox", data=inbox).status_code == 303
        rules = config.load(filled.ws.root).settings.inbox
        assert (rules.deadline_days, rules.warn_days, rules.deadlines) == (4, 2, {"Dinas PUPR": 7})
        assert rules.holidays == [date(2026, 12, 25)]
        after = _toml(filled)
        typed = inbox | {"deadline_days": "0", "deadline_opd": ["Dinas Fiktif"], "deadline_days_for": ["3"]}
        refused = admin.post("/pengaturan/konfigurasi/inbox", data=typed)
        assert refused.status_code == 400
        assert _errors(refused.text) == ["Isi bilangan bulat dari 1 sampai 60.", "Pilih OPD dari daftar."]
        assert _toml(filled) == after

        contacts = {"csrf_token": token, "contact_opd": opds}
        contacts["contact_email"] = ["pupr@kota.go.id" if o == "Dinas PUPR" else "" for o in opds]
        contacts["contact_telegram"] = ["-100123" if o == "Dinas Kesehatan" else "" for o in opds]
        assert admin.post("/pengaturan/konfigurasi/opd_contacts", data=contacts).status_code == 303
        loaded = config.load(filled.ws.root).settings.opd_contacts
        assert set(loaded) == {"Dinas PUPR", "Dinas Kesehatan"}
        assert (
            loaded["Dinas PUPR"].email == ["pupr@kota.go.id"] and loaded["Dinas Kesehatan"].telegram_chat == "-100123"
        )
        after = _toml(filled)
        wrong = contacts | {"contact_telegram": ["chat saya" if o == "Dinas PUPR" else "" for o in opds]}
        refused = admin.post("/pengaturan/konfigurasi/opd_contacts", data=wrong)
        assert refused.status_code == 400 and 'value="chat saya"' in refused.text
        assert _errors(refused.text) == ["Isi ID obrolan seperti -1001234567890 (atau @nama_kanal)."]
        assert _toml(filled) == after
        assert _comments(after) == _comments(before)
        audit = admin.get("/pengaturan").text
        assert all(f"settings.{s}" in audit for s in ("reports", "inbox", "opd_contacts"))

        # the test send needs an email alert channel to carry it; then it reaches the contact's address
        test = contacts | {"opd": "Dinas PUPR"}
        said = admin.post("/pengaturan/kontak-opd/uji", data=test).text
        assert 'id="contact-test-result">Tambahkan dulu kanal peringatan jenis email' in said
        for smtp in _serve(SMTPReceiver(SMTPState())):
            channel = {"csrf_token": token, "index": "", "action": "save", "kind": "email", "name": "surat"}
            channel |= {"smtp_host": "127.0.0.1", "smtp_port": str(smtp.port), "sender": "citra@kota.go.id"}
            channel |= {"to": "humas@kota.go.id"}
            assert admin.post("/pengaturan/kanal", data=channel).status_code == 303
            said = admin.post("/pengaturan/kontak-opd/uji", data=test).text
            assert 'id="contact-test-result">Pesan uji terkirim ke Dinas PUPR' in said
            assert [m.recipients for m in smtp.state.mails] == [["pupr@kota.go.id"]]
            assert "Pesan uji untuk Dinas PUPR" in str(smtp.state.mails[0].message()["subject"])
        assert _toml(filled).count("pupr@kota.go.id") == 1  # a test send changes nothing

        # clearing every contact and per-OPD deadline removes them (the comments stay)
        cleared = contacts | {"contact_email": [""] * len(opds), "contact_telegram": [""] * len(opds)}
        assert admin.post("/pengaturan/konfigurasi/opd_contacts", data=cleared).status_code == 303
        no_rows = inbox | {"deadline_opd": ["", ""], "deadline_days_for": ["", ""]}
        assert admin.post("/pengaturan/konfigurasi/inbox", data=no_rows).status_code == 303
        settings = config.load(filled.ws.root).settings
        assert settings.opd_contacts == {} and settings.inbox.deadlines == {}
        assert "\n[opd_contacts" not in _toml(filled) and _comments(_toml(filled)) == _comments(before)
