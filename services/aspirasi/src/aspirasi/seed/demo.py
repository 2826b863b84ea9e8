"""The demo tickets: what citizens of Sawahlunto might plausibly write, and how far each
got. `days_ago` is when it was sent; each step follows a few working days later."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoTicket:
    kind: str
    privacy: str
    title: str
    text: str
    days_ago: int
    unit: str | None = None
    steps: tuple[str, ...] = ()
    """In order: verify, route, hold, refer, archive, return, follow_up, answer, reopen,
    confirm, rate; the sweep then breaches, closes and computes the signals as of today."""
    rating: int | None = None
    reporter_name: str | None = None
    notes: dict[str, str] = field(default_factory=dict)


TICKETS: tuple[DemoTicket, ...] = (
    DemoTicket(
        "pengaduan",
        "anonim",
        "Antrean panjang di Puskesmas Talawi",
        "Pagi ini antrean pendaftaran Puskesmas Talawi lebih dari dua jam dan loket "
        "hanya satu yang buka.",
        80,
        "dinkes",
        ("route", "follow_up", "answer", "confirm"),
        rating=4,
    ),
    DemoTicket(
        "pengaduan",
        "publik",
        "Lampu jalan padam di Jalan Soekarno-Hatta",
        "Sudah dua minggu lampu jalan di depan Pasar Remaja padam, rawan kecelakaan malam hari.",
        70,
        "dishub",
        ("route", "follow_up", "answer", "reopen", "follow_up", "answer", "confirm"),
        rating=3,
        reporter_name="Rahmat Hidayat",
    ),
    DemoTicket(
        "aspirasi",
        "publik",
        "Tambah jadwal bus sekolah ke Silungkang",
        "Anak-anak dari Silungkang sering terlambat karena bus sekolah hanya satu kali jalan pagi.",
        64,
        "dishub",
        ("verify", "route", "follow_up", "answer"),
    ),
    DemoTicket(
        "permintaan_informasi",
        "anonim",
        "Syarat pindah domisili",
        "Apa saja syarat dan berapa lama proses surat pindah domisili ke luar kota?",
        55,
        "disdukcapil",
        ("route", "follow_up", "answer"),
        rating=5,
    ),
    DemoTicket(
        "pengaduan",
        "rahasia",
        "Dugaan pungutan di layanan KTP",
        "Petugas meminta uang tambahan agar KTP elektronik cepat jadi.",
        50,
        "disdukcapil",
        ("verify", "route", "follow_up"),
    ),
    DemoTicket(
        "pengaduan",
        "anonim",
        "Sampah menumpuk di TPS Kubang",
        "TPS di Kubang tidak diangkut seminggu, bau sampai ke rumah warga.",
        42,
        "dlh",
        ("route",),
    ),
    DemoTicket(
        "apresiasi",
        "publik",
        "Terima kasih layanan ambulans",
        "Ambulans datang cepat saat ayah saya sesak napas malam hari. Terima kasih.",
        35,
        "dinkes",
        ("route", "follow_up", "answer", "confirm"),
        rating=5,
        reporter_name="Sri Wahyuni",
    ),
    DemoTicket(
        "pengaduan",
        "anonim",
        "Jalan berlubang menuju Kandi",
        "Lubang besar di jalan menuju Kandi sudah membuat dua pengendara jatuh.",
        30,
        "dpupr",
        ("route", "follow_up", "answer"),
    ),
    DemoTicket(
        "pengaduan",
        "anonim",
        "Sekolah kekurangan guru matematika",
        "Di SMP kami sudah satu semester tidak ada guru matematika tetap.",
        26,
        "disdikbud",
        ("route", "return"),
    ),
    DemoTicket(
        "aspirasi",
        "anonim",
        "Wifi gratis di taman kota",
        "Mohon disediakan wifi publik di Taman Segitiga untuk pelajar.",
        21,
        "diskominfo",
        ("verify", "hold"),
        notes={"hold": "Menunggu kajian anggaran tahun depan."},
    ),
    DemoTicket(
        "pengaduan",
        "anonim",
        "Sertifikat tanah belum terbit",
        "Sudah dua tahun mengurus sertifikat tanah belum selesai.",
        18,
        None,
        ("refer",),
        notes={"refer": "Kewenangan Kantor Pertanahan (BPN) Kota Sawahlunto."},
    ),
    DemoTicket(
        "aspirasi",
        "anonim",
        "Promo judi online",
        "Kunjungi situs kami untuk bonus besar setiap hari!!!",
        15,
        None,
        ("archive",),
    ),
    DemoTicket(
        "pengaduan",
        "anonim",
        "Air PDAM keruh",
        "Air PDAM di Lubang Panjang keruh tiga hari terakhir.",
        9,
        "dpupr",
        ("route", "follow_up"),
    ),
    DemoTicket(
        "pengaduan",
        "publik",
        "Trotoar rusak di depan SD 07",
        "Trotoar di depan SD 07 Sawahlunto retak dan berlubang, anak-anak harus "
        "berjalan di badan jalan.",
        8,
        "dpupr",
        ("route", "follow_up", "answer"),
    ),
    DemoTicket(
        "aspirasi",
        "anonim",
        "Pelatihan UMKM untuk ibu rumah tangga",
        "Mohon diadakan pelatihan pemasaran daring untuk UMKM ibu rumah tangga.",
        3,
        None,
        ("verify",),
    ),
    DemoTicket(
        "permintaan_informasi",
        "anonim",
        "Jadwal vaksinasi anak",
        "Kapan jadwal imunisasi anak di Posyandu Durian?",
        4,
        None,
        (),
    ),
    DemoTicket(
        "pengaduan",
        "rahasia",
        "Pelayanan kasar di kantor kelurahan",
        "Petugas membentak warga yang bertanya soal surat keterangan.",
        2,
        None,
        (),
    ),
)


@dataclass(frozen=True)
class DemoForum:
    unit: str | None
    days_ago: int
    place: str
    organisations: tuple[tuple[str, int], ...]
    participants: int
    minutes: str
    follow_ups: tuple[tuple[str, str, str, int], ...]
    """(unit, title, text, due in days from the session)"""


FORUMS: tuple[DemoForum, ...] = (
    DemoForum(
        None,
        45,
        "Gedung Pusat Kebudayaan Sawahlunto",
        (
            ("LPM Kelurahan", 12),
            ("PKK Kecamatan", 8),
            ("Karang Taruna", 6),
            ("Forum Disabilitas", 3),
        ),
        64,
        "Forum konsultasi publik standar pelayanan: warga meminta jam layanan puskesmas "
        "diperpanjang dan informasi layanan kependudukan lebih jelas.",
        (
            (
                "dinkes",
                "Jam layanan puskesmas sampai 16.00",
                "Uji coba perpanjangan jam layanan di dua puskesmas.",
                30,
            ),
            (
                "disdukcapil",
                "Papan informasi syarat layanan",
                "Pasang papan informasi syarat dan waktu layanan di setiap kecamatan.",
                60,
            ),
        ),
    ),
    DemoForum(
        "dpupr",
        12,
        "Aula Kantor Camat Talawi",
        (("Kelompok Tani", 5), ("Perwakilan Desa", 7)),
        27,
        "Forum dengan warga Talawi tentang perbaikan jalan dan drainase.",
        (
            (
                "dpupr",
                "Perbaikan drainase Jalan Talawi-Kumbayau",
                "Normalisasi saluran sebelum musim hujan.",
                45,
            ),
        ),
    ),
)
