"""Error messages on the pages: the error's own Indonesian first, then the common English messages rendered in
Indonesian, else a general Indonesian sentence with the English kept as the technical detail; English when chosen."""

from __future__ import annotations

from citra.errors import CitraError, NotFound
from citra.store.textquery import QuerySyntaxError
from citra.web import messages


def test_common_messages_in_indonesian() -> None:
    assert messages.indonesian("no stored post with id 42") == "Unggahan dengan id 42 tidak ditemukan."
    assert (
        messages.indonesian("no analysed citizens' posts in 2026-11; the data covers 2026-08 to 2026-10")
        == "Tidak ada unggahan warga yang dianalisis pada 2026-11; data tersedia dari 2026-08 sampai 2026-10."
    )
    assert messages.indonesian("the password must have at least 10 characters") == "Kata sandi minimal 10 karakter."
    assert messages.indonesian("something nobody wrote a rendering for") is None


def test_shown_prefers_the_errors_own_indonesian_and_keeps_english_when_chosen() -> None:
    own = NotFound("that report file is no longer kept", indonesian="Berkas laporan itu sudah tidak disimpan lagi.")
    assert own.indonesian and str(own) == "that report file is no longer kept"
    shown = messages.shown(str(own), own.http_status, "id", own.indonesian)
    assert (shown.title, shown.text, shown.detail) == ("Not found", own.indonesian, "")
    english = messages.shown(str(own), own.http_status, "en", own.indonesian)
    assert english.text == "that report file is no longer kept"
    query = QuerySyntaxError("too_deep", 3)  # its own Indonesian (a property) is used, with positions from 1
    shown = messages.shown(str(query), query.http_status, "id", query.indonesian)
    assert shown.text.startswith("Kueri tidak valid") and "(posisi 4)" in shown.text


def test_unknown_message_gets_a_general_sentence_and_the_detail() -> None:
    shown = messages.shown("cannot write /x: disk full", CitraError.http_status, "id")
    assert shown.text == "Permintaan ini tidak dapat diproses." and shown.detail == "cannot write /x: disk full"
    translated = messages.shown("Pilih berkas yang akan diunggah.", 400, "id")  # translated by its page already
    assert (translated.text, translated.detail) == ("Pilih berkas yang akan diunggah.", "")
    busy = messages.shown("a new kind of trouble", 503, "id")
    assert busy.text.startswith("Server sedang sibuk") and messages.title_of(503) == "The server is busy"


def test_form_problems_in_indonesian() -> None:
    errors = [{"loc": ("body", "period"), "msg": "Field required"}, {"loc": ("query", "n"), "msg": "odd"}]
    assert messages.problems(errors, "id") == "period: wajib diisi; n: isian tidak valid"
    assert messages.problems(errors, "en") == "period: Field required; n: odd"
