"""Error messages for the dashboard's pages in the reader's language.

Domain errors carry an English message (logs, CLI, API); the pages show ``error.indonesian`` when the error has
one, else the Indonesian of a common message from ``COMMON`` (patterns of the English text), else a general
Indonesian sentence for its HTTP status with the English detail kept below it for the technical reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from citra.web.i18n import N_

# (pattern of the English message, Indonesian with \1-style groups); the first full match wins
COMMON: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), text)
    for pattern, text in (
        (r"please log in", "Silakan masuk terlebih dahulu."),
        (r"invalid or missing CSRF token.*", "Formulir sudah kedaluwarsa: muat ulang halaman lalu coba lagi."),
        (r"your role does not allow.*", "Peran akun Anda tidak mengizinkan tindakan ini."),
        (r"your account has no OPD", "Akun Anda belum terhubung ke OPD mana pun."),
        (r"you may only update items of your own OPD", "Anda hanya dapat mengubah item milik OPD Anda sendiri."),
        (r"no stored post with id (\d+)", r"Unggahan dengan id \1 tidak ditemukan."),
        (r"no stored post .*", "Unggahan itu tidak ditemukan."),
        (r"no intervention named ('[^']*').*", r"Tidak ada strategi bernama \1."),
        (r"an intervention named ('[^']*') already exists", r"Strategi bernama \1 sudah ada."),
        (r"no analysed posts yet.*", "Belum ada unggahan yang dianalisis: impor dan analisis data terlebih dahulu."),
        (
            r"no analysed citizens' posts in (\d{4}-\d{2}); the data covers (\d{4}-\d{2}) to (\d{4}-\d{2})",
            r"Tidak ada unggahan warga yang dianalisis pada \1; data tersedia dari \2 sampai \3.",
        ),
        (r"no analysed citizens' posts in (\d{4}-\d{2}).*", r"Tidak ada unggahan warga yang dianalisis pada \1."),
        (r"period '?([^':]*)'?: write YYYY-MM.*", r"Bulan \1: tulis sebagai TTTT-BB, misalnya 2026-08."),
        (r"the figures are still being computed.*", "Angka masih dihitung; coba lagi sebentar lagi."),
        (r"the server is busy.*", "Server sedang sibuk; coba lagi sebentar lagi."),
        (r"the password must have at least (\d+) characters", r"Kata sandi minimal \1 karakter."),
        (r"you cannot deactivate your own account", "Anda tidak dapat menonaktifkan akun Anda sendiri."),
        (r"you cannot change your own role", "Anda tidak dapat mengubah peran Anda sendiri."),
        (r"choose at least one item", "Pilih setidaknya satu item."),
        (r"choose an OPD or a person", "Pilih OPD atau orang."),
        (r"at most (\d+) items at once", r"Paling banyak \1 item sekaligus."),
        (r"(\w+): required", r"\1: wajib diisi."),
        (r"(\w+): at most (\d+) characters", r"\1: paling banyak \2 karakter."),
        (r"the start date is after the end date", "Tanggal mulai jatuh setelah tanggal selesai."),
        (
            r"the pre-period before (\S+) has (\d+) days with data; at least (\d+) are needed.*",
            r"Periode sebelum \1 baru punya \2 hari berdata; perlu setidaknya \3 hari untuk mengukur dampak "
            r"(8 minggu atau lebih lebih baik).",
        ),
        (r"the series is empty.*", "Belum ada hari berdata untuk diukur."),
        (r"assignee ('[^']*'): not an active user", r"Petugas \1 bukan pengguna aktif."),
        (r"stopped after (\d+) s", r"Dihentikan karena melewati batas \1 detik."),
        (r"the report build was stopped", "Pembuatan laporan dihentikan."),
        (r"the server is shutting down", "Server sedang dimatikan; coba lagi nanti."),
        (r"Not Found", "Halaman yang Anda cari tidak ada."),
        (r"Method Not Allowed", "Cara membuka halaman ini tidak didukung."),
        (r"Field required", "wajib diisi"),
    )
)

# a page that raises with a message it translated itself (``t.gettext``) already speaks Indonesian: these words do
# not occur in the English messages
ALREADY_INDONESIAN = re.compile(r"\b(yang|tidak|belum|sudah|pilih|berkas|tunggu|coba|untuk|dengan|masih)\b", re.I)

TITLES = {
    400: N_("The request cannot be processed"),
    401: N_("Please log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("The input cannot be used"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    502: N_("Sending failed"),
    503: N_("The server is busy"),
}
GENERAL = {
    400: "Permintaan ini tidak dapat diproses.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak diizinkan melakukan ini.",
    404: "Yang Anda cari tidak ditemukan.",
    422: "Isian tidak dapat digunakan; periksa lalu coba lagi.",
    429: "Terlalu banyak percobaan; tunggu sebentar lalu coba lagi.",
    502: "Pengiriman gagal.",
    503: "Server sedang sibuk; coba lagi sebentar lagi.",
}


@dataclass(frozen=True, slots=True)
class Shown:
    """What an error page shows: its ``title`` (a message id), the ``text``, and the original ``detail`` when the
    text is only a general sentence (for a technical reader)."""

    title: str
    text: str
    detail: str = ""


def title_of(status: int) -> str:
    return TITLES.get(status) or (TITLES[500] if status >= 500 else TITLES[400])


def indonesian(message: str) -> str | None:
    """The Indonesian of a common English message, or None."""
    for pattern, text in COMMON:
        found = pattern.fullmatch(message.strip())
        if found:
            return found.expand(text)
    return None


def shown(message: str, status: int, lang: str, own: str = "") -> Shown:
    """The page text of an error ``message`` of ``status`` (``own``: the error's own Indonesian, if any)."""
    title = title_of(status)
    if lang != "id":
        return Shown(title, message)
    text = own or indonesian(message) or (message if ALREADY_INDONESIAN.search(message) else "")
    if text:
        return Shown(title, text)
    general = GENERAL.get(status) or (GENERAL[503] if status >= 500 else GENERAL[400])
    return Shown(title, general, message)


def problems(errors: Iterable[dict[str, object]], lang: str) -> str:
    """The fields a form got wrong (a validation error), in the reader's language."""
    parts = []
    for error in errors:
        loc = error.get("loc") or ()
        field = ".".join(map(str, list(loc)[1:])) if isinstance(loc, (list, tuple)) else str(loc)
        msg = str(error.get("msg", ""))
        if lang == "id":
            msg = indonesian(msg) or "isian tidak valid"
        parts.append(f"{field}: {msg}")
    return "; ".join(parts)
