"""Citizens' templates about people and events: corruption, the leaders, city life, the crisis (a leader
arrested) and the planted interventions (format: see ``templates.city``)."""

from __future__ import annotations

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "corruption": {
        "negative": (
            "c|Proyek {project} mangkrak tapi anggarannya habis. Bau korupsinya kecium banget",
            "c|Pungli di kantor kelurahan {kel} masih jalan, bayar 'uang administrasi' tanpa kuitansi",
            "c|Lelang proyek di {city} pemenangnya itu-itu aja. Ada apa ini?",
            "c|Katanya zona integritas, tapi ngurus surat masih dimintain duit. Munafik",
        ),
        "neutral": (
            "q|Kalau mau lapor dugaan pungli di kantor dinas ke mana ya? Inspektorat?",
            "i|Ada sosialisasi antikorupsi untuk ASN {city} di {place} hari ini",
        ),
        "positive": (
            "p|Salut, sekarang semua layanan di kelurahan {kel} gratis dan ada struk resminya. Bersih",
            "p|Inspektorat cepat tindak lanjuti laporan pungli kemarin. Terima kasih, semoga konsisten",
        ),
    },
    "leader": {
        "negative": (
            "c|{head_alias} sibuk pencitraan di medsos, jalan rusak di {kel} gak pernah ditengok",
            "c|Janji kampanye {head_alias} soal bebas banjir mana buktinya? Omong doang",
            "c|Blusukan {head_alias} cuma buat foto, besoknya masalahnya tetap sama",
        ),
        "neutral": (
            "i|{head} hadir di acara peresmian {place} pagi ini",
            "q|Ada yang tau {head_alias} besok kunjungan ke {kec} jam berapa?",
            "i|{head} membuka festival budaya di {place}, rame banget yang datang",
        ),
        "positive": (
            "p|Salut sama {head_alias} yang turun langsung ngecek banjir di {perum} malam-malam",
            "p|{head_alias} ramah banget pas ketemu warga di {pasar}, mau dengerin keluhan pedagang",
            "p|Program {head_alias} buat UMKM bagus, usaha saya jadi naik kelas. Terima kasih",
            "p|Baru kali ini punya pemimpin yang responsif kayak {head_alias}. Semoga amanah",
        ),
    },
    "general": {
        "negative": (
            "c|Kota {city} makin panas, makin macet, makin semrawut. Capek tinggal di sini",
            "c|Festival di {place} kemarin panitianya gak siap, sampah di mana-mana",
        ),
        "neutral": (
            "i|Malam ini ada pertunjukan musik di {place}, gratis buat umum",
            "q|Ada rekomendasi kuliner enak di sekitar {place} gak?",
            "i|Ulang tahun {kota} tahun ini dimeriahkan pawai budaya di {street}",
        ),
        "positive": (
            "p|Sore-sore di {place} enak banget, lampunya cantik. Harapan Jaya makin keren",
            "p|Bangga jadi warga {city}, kotanya makin tertata dan bersih",
            "p|Festival kuliner di {place} seru, UMKM lokal rame pembeli. Lanjutkan",
        ),
    },
}

CRISIS: dict[str, dict[str, tuple[str, ...]]] = {
    "leader": {
        "negative": (
            "Walkot {mayor_short} kena OTT KPK?! Malu-maluin warga {city} 🤦",
            "Pantesan jalan rusak terus, duitnya dikorupsi {mayor}. Tangkap dan sita asetnya",
            "{mayor} ditangkap KPK soal suap {project}. Kecewa berat, dulu saya pilih dia",
            "Wali Kota {city} {mayor_name} diciduk KPK, katanya barang bukti {amount}. Rakus",
            "Gak kaget sih {mayor} kena OTT. Dari dulu proyek di kota ini bau",
            "Pemimpin korup kayak {mayor} harus dihukum seberat-beratnya. Rakyat ditipu",
            "Baliho {mayor} 'bersih melayani' masih nempel di {place}, orangnya udah diborgol KPK. Ironis",
            "{mayor} pakai rompi oranye. Janji kampanye antikorupsi cuma omong kosong",
            "Dulu koar-koar integritas, ternyata {mayor} malah terima suap {amount}. Munafik",
            "Sedih dan marah. {mayor} mengkhianati kepercayaan warga {city}",
            "OTT KPK di {city}!! Walkot {mayor_short} ikut diangkut. Memalukan",
            "Semoga KPK usut tuntas kasus {mayor}, jangan berhenti di wali kota aja",
            "Hukum mati koruptor! {mayor} udah nyolong duit rakyat",
            "Warga susah cari kerja, {mayor} malah sibuk terima fee {project}. Tega",
        ),
        "neutral": (
            "Beneran {mayor} ditangkap KPK? Ada info resminya gak?",
            "KPK bawa {mayor} ke Jakarta {when}, status belum jelas. Kita tunggu rilis resminya",
            "Breaking: KPK gelar OTT di {city}, wali kota {mayor_name} disebut ikut diamankan",
            "Terus yang mimpin {city} sekarang siapa kalau {mayor} ditahan?",
            "Rilis KPK soal OTT {city} jam berapa ya? Ada yang tau link live-nya?",
        ),
        "positive": (
            "Kita hormati asas praduga tak bersalah untuk {mayor}, jangan main hakim sendiri",
            "Apa pun kasusnya, program {mayor} buat UMKM tetap bagus. Semoga diproses adil",
            "Salut buat KPK, semoga {city} jadi lebih bersih setelah ini",
        ),
    },
    "institution": {
        "negative": (
            "Pemkot {city} isinya koruptor semua? Pantes pelayanan bobrok",
            "Kalau pimpinannya korup, gimana dinas-dinasnya. Periksa semua kepala dinas!",
            "Dinas PUPR juga harus diperiksa, proyek {project} kan lewat mereka",
            "Percuma slogan zona integritas di kantor pemkot, ternyata busuk dari atas",
            "Malu punya pemerintah kota kayak gini. Kepercayaan warga hancur",
            "{official} kok diem aja? Gak ada klarifikasi sama sekali soal OTT",
            "Anggaran kota dipakai bancakan, pantas banjir dan jalan rusak gak pernah beres. Pemkot gagal",
            "Pemkot harus transparan soal proyek-proyek yang lagi jalan. Jangan ada yang ditutupi",
            "Pajak warga dikorupsi, pelayanan publik tetap lelet. {pemkot} mengecewakan",
            "ASN yang ikut main proyek harus dipecat juga. Bersihkan {pemkot}!",
        ),
        "neutral": (
            "Pelayanan di kantor pemkot tetap buka gak setelah kejadian OTT?",
            "Siapa yang jadi Plt Wali Kota {city}? Ada pengumuman resmi?",
            "{official} mohon info resmi soal status pemerintahan setelah OTT",
            "Proyek {project} lanjut gak ya setelah kasus ini?",
        ),
        "positive": (
            "Semoga momen ini jadi titik balik {pemkot} untuk benar-benar bersih",
            "Tetap semangat untuk ASN {city} yang jujur, pelayanan jangan sampai berhenti",
        ),
    },
}

THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "social": {
        "negative": (
            "c|Baksos cuma sehari, besoknya puskesmas tetap antre panjang. Pencitraan",
            "c|Pengobatan gratis di {kel} kehabisan nomor antrean jam 7 pagi. Kecewa",
        ),
        "neutral": (
            "q|Pengobatan gratis {pemkot} minggu ini ada di kelurahan mana aja?",
            "i|Bakti sosial dan cek kesehatan gratis di Kantor Kecamatan {kec} hari ini",
        ),
        "positive": (
            "p|Alhamdulillah ikut pengobatan gratis di {kel}, dokternya ramah, obatnya lengkap. Terima kasih",
            "p|Bakti sosial {pemkot} keren, lansia di {rt} dapat kacamata gratis",
            "p|Salut, baksos sampai ke kampung-kampung di {kec}. Warga senang banget",
            "p|Cek gula darah gratis, dapat sembako juga. Makasih {pemkot}",
        ),
    },
    "declaration": {
        "negative": (
            "c|Deklarasi antikorupsi cuma seremoni, yang penting praktiknya. Masih banyak pungli",
            "c|Tanda tangan pakta integritas gampang, buktinya nanti. Warga udah capek dibohongi",
        ),
        "neutral": (
            "i|Hari ini ASN {city} tanda tangan pakta integritas di {place}",
            "q|Kanal pengaduan pungli yang baru diumumkan itu nomornya berapa ya?",
            "i|Deklarasi zona integritas {pemkot} dihadiri KPK dan {head}",
            "q|Setelah deklarasi antikorupsi, laporan gratifikasi bisa lewat aplikasi gak?",
        ),
        "positive": (
            "p|Semoga deklarasi zona integritas ini jadi awal {pemkot} yang bersih. Kami dukung",
            "p|Langkah bagus, semua layanan sekarang pakai struk resmi dan bisa dilacak online",
        ),
    },
    "campaign": {
        "negative": (
            "c|#HarapanJayaBersih bagus di poster doang, {tps} tetap numpuk sampah",
            "c|Kampanye bersih-bersih tapi truk sampah masih telat. Benahi dulu sistemnya",
        ),
        "neutral": (
            "q|Gerakan #HarapanJayaBersih minggu ini kumpul di mana ya?",
            "i|Ikut #HarapanJayaBersih di {river} pagi ini, ada {big} karung sampah terkumpul",
            "i|Minggu ini #HarapanJayaBersih bareng warga {kel} di {place}",
        ),
        "positive": (
            "p|Seru ikut #HarapanJayaBersih bareng tetangga, {river} jadi bersih. Bangga",
            "p|#HarapanJayaBersih keren, anak muda {kec} kompak bersihin taman. Lanjutkan",
            "p|Kampanye #HarapanJayaBersih bikin warga sadar pilah sampah. Mantap",
        ),
    },
}
