"""Official accounts' posts (by content category), their statements in a crisis and on interventions, and
their replies to citizens (format: see ``templates.city``; ``{user}`` is the citizen answered)."""

from __future__ import annotations

POSTS: dict[str, tuple[str, ...]] = {
    "service_info": (
        "[Info Layanan] Disdukcapil {city} membuka layanan perekaman e-KTP pada hari Sabtu pukul {hour}-12.00 WIB di "
        "Mal Pelayanan Publik. #PelayananPublik",
        "Warga {city}, pembayaran PBB kini bisa melalui aplikasi, minimarket dan bank. Bayar tepat waktu, "
        "bebas denda. #BapendaHJ",
        "[Info Lalin] Mulai besok, {street} diberlakukan satu arah pukul {hour}-09.00 WIB selama perbaikan saluran",
        "Layanan ambulans gratis {pemkot} siaga 24 jam. Hubungi 112 (bebas pulsa) untuk keadaan darurat",
        "Pendaftaran sekolah jalur afirmasi dibuka hingga Jumat. Informasi lengkap di laman Disdik {city}",
        "[Jadwal Posyandu] Posyandu di Kelurahan {kel} dilaksanakan hari Kamis pukul {hour} WIB. Ajak balita Anda",
        "Aduan pelayanan publik dapat disampaikan melalui SP4N-LAPOR!, call center 112, atau DM akun ini. "
        "Kami siap menindaklanjuti",
        "Jadwal pengangkutan sampah di Kecamatan {kec} diperbarui mulai pekan depan. Cek di kelurahan masing-masing",
        "Operasi pasar murah digelar di {pasar} mulai pukul {hour} WIB. Tersedia beras, minyak goreng dan gula",
    ),
    "leader_activity": (
        "{head} meninjau perbaikan saluran air di {street} dan meminta pekerjaan selesai sebelum musim hujan",
        "{head} menerima audiensi perwakilan pedagang {pasar} di Balai Kota membahas penataan kios",
        "{head} membuka Musrenbang Kecamatan {kec} dan mengajak warga aktif menyampaikan usulan pembangunan",
        "Pagi ini {head} bersama Forkopimda mengikuti apel siaga bencana di {place}",
        "{head} menyerahkan bantuan alat bantu dengar bagi lansia di Kelurahan {kel}",
        "{head} meresmikan Puskesmas {kel} yang kini melayani rawat inap 24 jam",
    ),
    "appeal": (
        "Memasuki musim hujan, warga diimbau tidak membuang sampah ke saluran air dan {river}. #WaspadaBanjir",
        "Cegah DBD dengan 3M Plus: menguras, menutup, mendaur ulang, dan hindari gigitan nyamuk. #DinkesHJ",
        "Imbauan: pengendara diminta berhati-hati melintas di {street} karena ada pekerjaan jalan",
        "Mari jaga ketertiban: parkir pada tempatnya dan tidak berjualan di trotoar. #HarapanJayaTertib",
        "Waspada penipuan yang mengatasnamakan pejabat {pemkot}. Seluruh layanan kami tidak dipungut biaya",
    ),
    "achievement": (
        "Alhamdulillah, {kota} kembali meraih opini WTP dari BPK. Terima kasih seluruh ASN dan warga",
        "{pemkot} meraih penghargaan Kota Layak Anak kategori Nindya. Terus bergerak untuk anak-anak kita",
        "Mal Pelayanan Publik {city} meraih predikat Pelayanan Prima dari KemenPAN-RB",
        "Puskesmas {kel} raih akreditasi Paripurna. Selamat dan terus tingkatkan pelayanan",
    ),
    "anti_corruption": (
        "Tolak gratifikasi! Seluruh layanan {pemkot} gratis. Laporkan pungli melalui SP4N-LAPOR!",
        "Inspektorat {city} membuka kanal pengaduan pungli dan gratifikasi. Identitas pelapor dijamin kerahasiaannya",
        "ASN {city} berkomitmen melayani tanpa pungli. Bersama wujudkan birokrasi bersih. #HarapanJayaBersihKorupsi",
    ),
    "social_activity": (
        "Donor darah massal ASN {pemkot} di {place} berhasil mengumpulkan {big}0 kantong darah. Terima kasih",
        "Bakti sosial di Kelurahan {kel}: pemeriksaan kesehatan, pembagian sembako dan kacamata gratis bagi lansia",
        "Gerakan Jumat Bersih bersama warga {kel} membersihkan saluran di {street}",
    ),
}

OPD_INFO = (
    "{opd} menindaklanjuti laporan warga di {street}. Petugas sudah di lokasi. Terima kasih atas laporannya",
    "Pelayanan {opd} hari ini buka pukul 08.00-15.00 WIB. Ambil nomor antrean secara online",
    "Petugas {opd} melaksanakan kegiatan di Kecamatan {kec} hari ini. Mohon maaf atas ketidaknyamanannya",
    "Informasi layanan {opd} dapat diakses melalui DM atau datang langsung ke kantor kami",
    "Rekap pekan ini: {big} laporan warga ditangani {opd}. Terus sampaikan laporan Anda",
)

CRISIS = (
    "{pemkot} menghormati proses hukum yang sedang berjalan di KPK dan mengedepankan asas praduga tak bersalah",
    "Sekda {sekda_name}: pelayanan publik di lingkungan {pemkot} tetap berjalan normal. Seluruh ASN tetap bekerja",
    "Gubernur menunjuk {vice_name} sebagai Plt Wali Kota {city}. Pemerintahan dan pelayanan berjalan biasa",
    "Plt Wali Kota {vice_name} meminta seluruh kepala OPD menjaga integritas dan memastikan layanan tidak terganggu",
)

THEMES: dict[str, tuple[str, ...]] = {
    "social": (
        "Bakti Sosial dan Pengobatan Gratis Serentak hari ini di Kecamatan {kec}. Warga silakan datang membawa KTP",
        "{head} meninjau pengobatan gratis di Kelurahan {kel}. Lebih dari {big}0 warga terlayani hari ini",
        "Terima kasih tenaga kesehatan dan relawan bakti sosial di {kec}. #BaktiSosialHJ",
    ),
    "declaration": (
        "Deklarasi Pakta Integritas dan Zona Integritas {pemkot} bersama KPK. Kami berkomitmen melayani tanpa pungli",
        "Seluruh kepala OPD menandatangani pakta integritas. Laporkan pungli melalui SP4N-LAPOR! "
        "#HarapanJayaBersihKorupsi",
        "Mulai hari ini setiap layanan di {pemkot} memakai bukti resmi dan dapat dilacak secara online",
    ),
    "campaign": (
        "Ayo ikut #HarapanJayaBersih! Minggu ini kita bersihkan {river} bersama warga {kel}",
        "Terima kasih warga {kec} yang ikut #HarapanJayaBersih. Sudah {big} karung sampah terkumpul",
        "Pilah sampah dari rumah, setor ke bank sampah terdekat. #HarapanJayaBersih",
    ),
}

REPLIES: dict[str, tuple[str, ...]] = {
    "complaint": (
        "Terima kasih atas laporannya, Kak. Sudah kami teruskan ke {opd} untuk segera ditindaklanjuti 🙏",
        "Mohon maaf atas ketidaknyamanannya. Laporan Anda sudah kami sampaikan ke {opd}",
        "Halo Kak, boleh dibantu titik lokasi lengkapnya via DM? Akan kami koordinasikan dengan {opd}",
        "Terima kasih infonya. Tim {opd} akan mengecek ke lokasi dalam waktu dekat",
        "Mohon maaf, Kak. Laporan sudah kami catat dan diteruskan ke {opd}. Perkembangannya kami kabari",
        "Terima kasih sudah melapor. Silakan juga laporkan melalui SP4N-LAPOR! agar dapat dipantau statusnya",
    ),
    "question": (
        "Halo Kak, untuk informasi tersebut silakan menghubungi {opd} pada jam kerja, 08.00-15.00 WIB",
        "Halo Kak, informasi lengkapnya sudah kami kirim via DM ya 🙏",
        "Terima kasih pertanyaannya. Jadwal dan persyaratan dapat dilihat di laman resmi {opd}",
        "Halo Kak, layanan tersebut bisa diakses di Mal Pelayanan Publik {city} setiap hari kerja",
    ),
    "request": (
        "Terima kasih atas usulannya, Kak. Akan kami sampaikan ke {opd} untuk ditindaklanjuti",
        "Baik Kak, permohonan Anda sudah kami teruskan ke {opd}",
        "Siap Kak, usulan sudah dicatat dan akan dibahas bersama {opd}",
    ),
}

OPD_NAMES = {
    "roads": "Dinas PUPR",
    "floods": "Dinas PUPR",
    "waste": "Dinas Lingkungan Hidup",
    "traffic": "Dinas Perhubungan",
    "environment": "Dinas Lingkungan Hidup",
    "disasters": "BPBD",
    "public_order": "Satpol PP",
    "health": "Dinas Kesehatan",
    "education": "Dinas Pendidikan",
    "population_documents": "Disdukcapil",
    "social_aid": "Dinas Sosial",
    "permits": "DPMPTSP",
    "taxes": "Bapenda",
    "economy": "Dinas Perdagangan",
    "public_service": "OPD terkait",
    "corruption": "Inspektorat",
}
