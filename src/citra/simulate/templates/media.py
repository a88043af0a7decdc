"""News outlets' headlines (per topic and sentiment, and about the crisis). Format: see ``templates.city``;
a headline has no intent prefix and becomes "headline URL" in a post."""

from __future__ import annotations

_GENERIC = {
    "negative": (
        "Warga {kel} Keluhkan Pelayanan {opd} yang Dinilai Lambat",
        "DPRD Soroti Rendahnya Serapan Anggaran {pemkot}",
        "Ombudsman Terima Puluhan Aduan Pelayanan Publik dari {city}",
    ),
    "neutral": (
        "{pemkot} Gelar Rapat Koordinasi Bersama Camat dan Lurah",
        "Pemkot {city} Siapkan Anggaran Perubahan Tahun Ini",
        "{head} Terima Kunjungan Kerja DPRD Provinsi",
        "Musrenbang Kecamatan {kec} Bahas Prioritas Pembangunan",
    ),
    "positive": (
        "{pemkot} Raih Predikat Kepatuhan Tinggi Pelayanan Publik",
        "{kota} Kembali Raih Opini WTP dari BPK",
    ),
}

HEADLINES: dict[str, dict[str, tuple[str, ...]]] = {
    "roads": {
        "negative": (
            "Jalan Rusak di {street} Makan Korban, Pemotor Terjatuh",
            "Warga Tanam Pohon Pisang di Jalan Berlubang {street} sebagai Bentuk Protes",
        ),
        "neutral": (
            "Dinas PUPR Targetkan Perbaikan {street} Rampung Bulan Depan",
            "Pemkot {city} Anggarkan Perbaikan 40 Ruas Jalan Lingkungan",
        ),
        "positive": ("Ruas {street} Kini Mulus, Warga Apresiasi Gerak Cepat Dinas PUPR",),
    },
    "floods": {
        "negative": (
            "Banjir Rendam Ratusan Rumah di {kel}, Warga Keluhkan Drainase Buruk",
            "{river} Meluap, {perum} Terendam Hingga Satu Meter",
        ),
        "neutral": (
            "BPBD {city} Siagakan Posko Banjir di Tujuh Kecamatan",
            "Pemkot Mulai Normalisasi {river} Sepanjang 3 Kilometer",
        ),
        "positive": ("Kolam Retensi Baru Berfungsi, Kawasan {kel} Bebas Genangan",),
    },
    "waste": {
        "negative": ("Sampah Menggunung di {tps}, Warga Mengeluh Bau Menyengat",),
        "neutral": (
            "DLH {city} Tambah Armada Truk Pengangkut Sampah",
            "Volume Sampah {city} Capai 600 Ton per Hari",
        ),
        "positive": ("Bank Sampah {kel} Jadi Percontohan Tingkat Provinsi",),
    },
    "traffic": {
        "negative": ("Kemacetan di {place} Makin Parah, Dishub Dinilai Lamban",),
        "neutral": (
            "Dishub {city} Uji Coba Rekayasa Lalu Lintas di {street}",
            "Rute Baru Bus Kota {city} Mulai Beroperasi Senin",
        ),
        "positive": ("Penertiban Parkir Liar di {street} Berhasil Urai Kemacetan",),
    },
    "health": {
        "negative": ("Kasus DBD di {city} Meningkat, Warga {kel} Minta Fogging",),
        "neutral": (
            "Dinkes {city} Gelar Imunisasi Serentak di Seluruh Puskesmas",
            "RSUD {city} Tambah Ruang Rawat Inap Kelas Tiga",
        ),
        "positive": ("Puskesmas {kel} Raih Akreditasi Paripurna",),
    },
    "population_documents": {
        "negative": ("Blangko e-KTP Kosong, Warga {city} Antre Berhari-hari",),
        "neutral": ("Disdukcapil {city} Buka Layanan Adminduk pada Hari Sabtu",),
        "positive": ("Layanan Akta Kelahiran {city} Kini Selesai dalam Sehari",),
    },
    "social_aid": {
        "negative": ("Penyaluran Bansos di {kel} Diduga Tidak Tepat Sasaran",),
        "neutral": ("Dinsos {city} Mulai Salurkan BLT untuk 12 Ribu Keluarga",),
        "positive": ("Warga Lansia {kel} Terima Bantuan Sembako dari Pemkot",),
    },
    "public_order": {
        "negative": ("Penertiban PKL di {pasar} Diwarnai Kericuhan",),
        "neutral": ("Satpol PP {city} Tertibkan Bangunan Liar di Bantaran {river}",),
        "positive": (),
    },
    "economy": {
        "negative": ("Harga Cabai di {pasar} Tembus Rp 80 Ribu per Kilogram",),
        "neutral": ("Pemkot {city} Gelar Operasi Pasar Murah di {kec}",),
        "positive": ("Bazar UMKM di {place} Catat Transaksi Rp 1 Miliar",),
    },
}

CRISIS = {
    "negative": (
        "KPK Tangkap Tangan Wali Kota {city} {mayor_name} Terkait Suap {project}",
        "OTT KPK di {city}: Wali Kota dan Tiga Pejabat Diamankan, Uang {amount} Disita",
        "Wali Kota {city} Resmi Ditahan KPK, Diduga Terima Fee {project}",
        "KPK Geledah Kantor Dinas PUPR dan Rumah Dinas Wali Kota {city}",
        "Warga {city} Kecewa Wali Kotanya Terjaring OTT KPK",
    ),
    "neutral": (
        "KPK Benarkan OTT di {city}, Sejumlah Pihak Dibawa ke Jakarta",
        "Gubernur Tunjuk {vice_name} sebagai Plt Wali Kota {city}",
        "Sekda {sekda_name} Pastikan Pelayanan Publik di {city} Tetap Berjalan",
        "Kronologi OTT KPK di {city}: Berawal dari Proyek {project}",
        "KPK Periksa Lima Saksi Kasus Suap Wali Kota {city}",
        "Pemkot {city} Hormati Proses Hukum di KPK",
    ),
    "positive": (),
}


def headlines(topic: str) -> dict[str, tuple[str, ...]]:
    """Headlines for a topic, with generic ones where the topic has none of a sentiment."""
    own = HEADLINES.get(topic, {})
    return {s: own.get(s) or _GENERIC[s] for s in ("negative", "neutral", "positive")}
