"""Texts of the planted coordinated campaigns, by stance (``Campaign.stance``).

``SCRIPTS`` are the messages a co-post campaign hands out (every account posts the same one, slightly altered);
``ORIGINALS`` are what a co-repost ring's anchor posts for the ring to repost; ``VARIED`` are the many different
lines a hashtag push's accounts write around the same hashtag. Slots and ``[a|b]`` alternatives as in
``citra.simulate.render``."""

from __future__ import annotations

SENTIMENT = {"defend_mayor": "positive", "attack_plt": "negative", "praise_services": "positive"}
TOPIC = {"defend_mayor": "leader", "attack_plt": "leader", "praise_services": "public_service"}

SCRIPTS: dict[str, tuple[str, ...]] = {
    "defend_mayor": (
        "Hormati asas praduga tak bersalah. {mayor_name} sudah banyak berbuat untuk {city}, jangan dihakimi sebelum"
        " ada putusan pengadilan.",
        "Yang kenal {mayor_short} tahu beliau orang baik. Kita kawal prosesnya sampai tuntas, jangan termakan"
        " framing media.",
        "Jalan mulus, taman kota, UMKM naik kelas: itu kerja nyata {mayor_name}. Warga {city} tidak lupa.",
        "Kasus ini penuh kejanggalan. Kenapa OTT justru terjadi menjelang pembahasan anggaran? Buka semua fakta"
        " untuk {mayor_short}.",
        "Doa terbaik untuk {mayor_name} dan keluarga. Kami warga {city} tetap percaya, kebenaran akan menang.",
        "Jangan biarkan satu kasus menghapus sepuluh tahun pengabdian {mayor_short} untuk {city}.",
        "Proses hukum silakan jalan, tapi jangan ada penggiringan opini. {mayor_name} berhak membela diri.",
        "Kami bersama {mayor_short}. Pemimpin yang turun langsung ke warga tidak pantas difitnah begini.",
    ),
    "attack_plt": (
        "Baru [seminggu|beberapa hari] jadi Plt, {vice_name} sudah bikin pelayanan makin amburadul. Warga {city}"
        " butuh pemimpin, bukan penonton.",
        "Plt {vice_name} diam saja saat {city} krisis. Tidak ada arahan, tidak ada gebrakan. Mundur saja!",
        "Selama ini {vice} cuma numpang nama. Sekarang jadi Plt kelihatan aslinya: tidak [paham|ngerti] apa-apa.",
        "Rapat terus, hasil nol. Plt Wali Kota {city} gagal menenangkan warga setelah OTT.",
        "Pejabat yang dulu satu paket dengan yang kena OTT sekarang jadi Plt. Apa bedanya? {city} butuh wajah baru.",
        "Antrean di Disdukcapil makin panjang sejak {vice} pegang kendali. Plt tidak becus.",
        "Plt sibuk foto-foto di {place}, sementara warga {kel} masih kebanjiran. Prioritasnya di mana?",
        "Kenapa Plt {vice_name} belum juga evaluasi kepala dinas yang terseret kasus? Jangan-jangan ikut main.",
        "DPRD harus panggil Plt Wali Kota {city}. Kebijakan sejak OTT ngawur semua.",
        "Warga {city} sudah muak. Plt {vice_name} tidak punya kapasitas memimpin kota sebesar ini.",
    ),
}

ORIGINALS = SCRIPTS

VARIED: dict[str, tuple[str, ...]] = {
    "praise_services": (
        "Tadi ngurus KTP di Disdukcapil cuma [30 menit|setengah jam|sejam], petugasnya ramah",
        "Lampu PJU di {street} udah nyala lagi, cepet banget ditangani",
        "Puskesmas {kel} tetap buka normal, antrean tertib. Salut sama nakesnya",
        "Jalan berlubang di {street} udah ditambal, makasih dinas PUPR",
        "Sampah di {tps} udah diangkut pagi ini, bersih",
        "Bus kota {city} tetap jalan tepat waktu. Pelayanan gak terganggu",
        "Anak saya daftar sekolah online lancar, gak perlu antre",
        "Bansos di {kel} cair tepat waktu, gak ada potongan",
        "Taman {place} makin rapi, anak-anak betah main",
        "Lapor saluran mampet lewat aplikasi, besoknya langsung dikerjain",
        "Pelayanan di kantor kecamatan {kec} cepat dan gratis, mantap",
        "Drainase di {perum} udah dinormalisasi, semoga gak banjir lagi",
        "Ambulans gratis dari pemkot datang [10 menit|15 menit] setelah ditelepon. Terima kasih",
        "Pasar {pasar} sekarang lebih bersih dan tertata",
        "Izin usaha saya keluar [dua hari|tiga hari], prosesnya transparan",
        "ASN {city} tetap kerja maksimal meski pimpinan lagi ada masalah",
        "Pemkot {city} tetap melayani, warga gak perlu khawatir",
        "Posyandu di {rt} rutin jalan, kader semangat banget",
    ),
}

CO_POST_OPENERS = (
    "Setuju.",
    "Betul,",
    "Sepakat.",
    "Nah ini.",
    "Ini dia.",
    "Benar sekali.",
    "Tolong dibaca:",
    "Setuju banget.",
)
SWAPS = {
    "warga": ("masyarakat",),
    "masyarakat": ("warga",),
    "kami": ("kita",),
    "kita": ("kami",),
    "tidak": ("gak", "tak"),
    "jangan": ("jgn", "janganlah"),
    "sudah": ("udah", "telah"),
    "beliau": ("bapak",),
    "butuh": ("perlu",),
    "saja": ("aja",),
}
