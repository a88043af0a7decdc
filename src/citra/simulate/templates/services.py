"""Citizens' templates about public services: health, education, population documents, social aid, permits,
taxes, general public service and the local economy (format: see ``citra.simulate.templates.city``)."""

from __future__ import annotations

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "health": {
        "negative": (
            "c|Antrean di RSUD {city} dari subuh baru dipanggil siang. Pelayanannya lambat banget",
            "c|Pasien BPJS di RSUD dipersulit, disuruh bolak-balik ngurus surat. Kecewa",
            "c|Puskesmas {kel} tutup jam 12, padahal jadwalnya sampai sore. Gimana sih",
            "c|Perawat di IGD RSUD ketus banget sama keluarga pasien. Gak ada empati",
            "c|Obat di puskesmas kosong terus, disuruh beli sendiri di apotek. Terus BPJS buat apa?",
            "c|Kasus DBD di {kel} naik tapi fogging gak pernah datang. Nunggu korban?",
            "c|Ambulans desa ditelepon gak diangkat-angkat, akhirnya bawa pasien naik motor. Miris",
            "c|Kamar rawat inap RSUD penuh terus, pasien dirujuk ke {other}. Fasilitas kurang",
        ),
        "neutral": (
            "q|Jadwal imunisasi di Puskesmas {kel} hari apa ya?",
            "q|Min, vaksin HPV untuk anak SD daftarnya di mana?",
            "q|Poli gigi RSUD {city} buka hari Sabtu gak?",
            "i|Posyandu {rt} {kel} besok jam 8 pagi, jangan lupa bawa buku KIA",
            "r|Mohon info cara daftar online RSUD, aplikasinya error terus",
            "q|Cek kesehatan gratis buat lansia ada di puskesmas mana aja?",
        ),
        "positive": (
            "p|Pelayanan Puskesmas {kel} sekarang cepat dan ramah, dokternya sabar jelasin. Puas",
            "p|Daftar online RSUD {city} gampang, datang langsung dilayani. Pelayanannya bagus dan memuaskan",
            "p|Terima kasih tenaga kesehatan {city} yang ikhlas melayani siang malam",
            "p|Fogging di {perum} langsung dilakukan sehari setelah lapor. Cepat tanggap, puas",
            "p|Ambulans gratis {pemkot} datang 10 menit setelah ditelepon. Pelayanan luar biasa, alhamdulillah",
            "p|Cek kesehatan gratis di {place} bagus banget, cepat dan hasilnya langsung keluar. Senang",
        ),
    },
    "education": {
        "negative": (
            "c|PPDB zonasi kacau, rumah dekat {school} malah gak keterima. Sistemnya gak adil",
            "c|Atap kelas di {school} bocor, murid belajar sambil kehujanan. Miris",
            "c|Pungutan uang seragam di {school} mahal banget, katanya sekolah gratis?",
            "c|Guru honorer gajinya telat {dur}, gimana mau fokus ngajar",
            "c|Website PPDB down terus pas hari pendaftaran. Persiapannya buruk",
        ),
        "neutral": (
            "q|Jadwal PPDB SMP negeri {city} tahun ini kapan dibuka ya?",
            "q|Syarat beasiswa pelajar kurang mampu dari pemkot apa aja ya?",
            "i|Pendaftaran sekolah gratis jalur afirmasi dibuka minggu depan, siapkan KK dan KIP",
            "q|Kuota zonasi {school} berapa persen ya?",
        ),
        "positive": (
            "p|Gedung baru {school} bagus banget, anak-anak semangat sekolah. Terima kasih",
            "p|Beasiswa dari {pemkot} sangat membantu anak saya lanjut sekolah. Alhamdulillah",
            "p|PPDB tahun ini lancar, daftar online gak ribet. Bagus, mantap disdik",
            "p|Perpustakaan keliling datang ke {kel}, anak-anak senang baca buku. Keren",
        ),
    },
    "population_documents": {
        "negative": (
            "c|Bikin e-KTP di Disdukcapil udah {dur} belum jadi, alasannya blangko habis terus",
            "c|Antrean KK di Disdukcapil panjang banget, nomor antrean habis jam 8 pagi. Parah",
            "c|Urus akta kelahiran dipingpong dari kelurahan ke kecamatan ke dinas. Capek",
            "c|Aplikasi online adminduk error mulu, ujung-ujungnya harus datang juga. Percuma",
            "c|Ada calo di depan kantor Disdukcapil nawarin KTP jadi sehari bayar 300 ribu. Parah, kok dibiarin?",
            "c|Pindah domisili aja ribet banget, syaratnya berubah-ubah tiap datang",
            "c|Petugas kelurahan {kel} jutek pas ditanya soal surat pindah. Pelayanan buruk",
        ),
        "neutral": (
            "q|Min, syarat bikin KIA buat anak apa aja ya?",
            "q|Cetak ulang KTP yang hilang harus bawa surat kehilangan dari polisi gak?",
            "q|Disdukcapil buka hari Sabtu gak ya?",
            "i|Ada layanan jemput bola perekaman e-KTP di kantor Kecamatan {kec} hari Kamis",
            "r|Mohon info status pengajuan KK saya, sudah 2 minggu belum ada kabar",
            "q|Ubah status pekerjaan di KTP bisa online atau harus datang?",
        ),
        "positive": (
            "p|Mantul! Bikin e-KTP di Disdukcapil sekarang cepet banget, cuma 15 menit jadi",
            "p|Urus akta kelahiran online gampang, 3 hari udah bisa dicetak. Bagus dan cepat, keren Disdukcapil",
            "p|Petugas Disdukcapil ramah dan sabar bantu lansia. Terima kasih",
            "p|Layanan adminduk di mal pelayanan publik nyaman banget, gak perlu antre lama",
            "p|Jemput bola perekaman KTP di {kel} sangat membantu warga yang sibuk kerja. Bagus banget",
        ),
    },
    "social_aid": {
        "negative": (
            "c|Bansos di {kel} salah sasaran, yang dapet malah keluarga pak RT. Yang miskin gak kebagian",
            "c|Udah {dur} bantuan PKH belum cair, katanya data belum sinkron. Kasian warga",
            "c|Pembagian sembako di kelurahan ricuh, antre berjam-jam tanpa tenda",
            "c|Lansia di {rt} {kel} gak pernah dapat bantuan padahal hidup sendiri. Pendataan asal-asalan",
            "c|Bantuan beras kualitasnya jelek, berkutu dan bau. Tega banget",
        ),
        "neutral": (
            "q|Cara cek apakah kita terdaftar DTKS gimana ya?",
            "q|Bantuan untuk korban kebakaran daftarnya ke Dinsos atau kelurahan?",
            "i|Penyaluran BLT di Kelurahan {kel} dimulai besok jam 8, bawa KTP dan KK",
        ),
        "positive": (
            "p|Alhamdulillah bantuan sembako dari {pemkot} sampai ke rumah, sangat membantu",
            "p|Dinsos cepat bantu tetangga yang sakit dan hidup sendiri. Terima kasih",
            "p|Pembagian bansos di {kel} tertib dan tepat sasaran tahun ini. Bagus, warga senang",
        ),
    },
    "permits": {
        "negative": (
            "c|Ngurus PBG lamanya minta ampun, udah {dur} belum ada kejelasan",
            "c|Izin usaha katanya online tapi ujungnya disuruh datang dan bayar di luar aturan",
            "c|Sistem OSS sering error, UMKM jadi susah ngurus NIB",
        ),
        "neutral": (
            "q|Syarat izin keramaian untuk acara nikahan apa aja ya?",
            "q|Ngurus NIB buat usaha kecil bisa dibantu di mal pelayanan publik gak?",
            "i|Mal Pelayanan Publik {city} buka layanan perizinan sampai jam 3 sore",
        ),
        "positive": (
            "p|Ngurus NIB di mal pelayanan publik cuma setengah jam, gratis pula. Mantap",
            "p|Izin usaha sekarang cepat dan transparan, petugasnya membantu. Puas",
        ),
    },
    "taxes": {
        "negative": (
            "c|PBB naik dua kali lipat tanpa sosialisasi. Warga kecil makin berat",
            "c|Bayar pajak tepat waktu tapi fasilitas kota gak ada perbaikan. Pajak buat apa?",
            "c|Aplikasi bayar PBB online gagal terus, saldo kepotong tapi status belum lunas",
        ),
        "neutral": (
            "q|Bayar PBB {city} bisa lewat minimarket gak ya?",
            "q|Jatuh tempo PBB tahun ini tanggal berapa min?",
            "i|Ada program pemutihan denda PBB sampai akhir bulan ini",
        ),
        "positive": (
            "p|Bayar PBB sekarang gampang lewat aplikasi, gak perlu antre. Keren Bapenda",
            "p|Program pemutihan denda pajak sangat membantu warga. Terima kasih {pemkot}",
        ),
    },
    "public_service": {
        "negative": (
            "c|Lapor lewat SP4N-LAPOR dari {dur} lalu statusnya masih diproses. Gak ada tindak lanjut, kecewa",
            "c|Admin akun {pemkot} cuma balas template, masalahnya gak pernah beres",
            "c|Pelayanan di kantor kelurahan {kel} lambat, petugasnya sibuk main HP",
            "c|Call center pemkot gak pernah diangkat. Buat apa ada nomor pengaduan?",
            "c|Tiap ngurus apa-apa di kantor pemerintah pasti ada 'uang rokok'. Budaya buruk",
            "c|Kantor kecamatan {kec} tutup jam 2 siang, padahal jam kerja sampai jam 4",
        ),
        "neutral": (
            "q|Jam pelayanan kantor Kecamatan {kec} sampai jam berapa ya?",
            "q|Aduan pelayanan publik paling cepat lewat mana min?",
            "q|Mal pelayanan publik {city} buka hari Sabtu gak?",
            "i|Kantor Kelurahan {kel} pindah sementara ke gedung serbaguna selama renovasi",
        ),
        "positive": (
            "p|Lapor via SP4N-LAPOR ditanggapi dalam sehari, masalah beres. Puas, mantap {pemkot}",
            "p|Admin {official} fast response banget, jawabannya jelas dan ramah. Bagus, makasih min",
            "p|Pelayanan di kantor kelurahan {kel} sekarang ramah dan cepat. Perubahan yang bagus",
            "p|Mal pelayanan publik bikin semua urusan jadi satu tempat. Praktis banget",
        ),
    },
    "economy": {
        "negative": (
            "c|Harga cabai di {pasar} naik gila-gilaan, operasi pasar gak pernah nyampe sini. Rakyat makin susah",
            "c|Pedagang {pasar} sepi pembeli sejak revitalisasi, kios baru gelap dan pengap. Kecewa",
            "c|Lowongan kerja di {city} susah banget, pabrik lebih milih orang luar",
        ),
        "neutral": (
            "q|Jadwal operasi pasar murah bulan ini di mana aja ya?",
            "i|Bazar UMKM digelar di {place} Jumat sampai Minggu",
            "q|Pelatihan UMKM dari pemkot daftarnya di mana?",
        ),
        "positive": (
            "p|Bazar UMKM di {place} rame banget, dagangan saya laris. Makasih pemkot",
            "p|Operasi pasar murah di {kel} sangat membantu, beras dan minyak jauh lebih murah",
            "p|Pasar {pasar} setelah direvitalisasi bersih dan tertata. Belanja jadi nyaman",
        ),
    },
}
