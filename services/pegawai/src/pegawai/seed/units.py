"""The demo organisation chart. Unit names follow Kota Sawahlunto's public organisation;
kelurahan per kecamatan follow public sources (BPS, Wikipedia) and are to be confirmed
with BKPSDM. Silungkang and Talawi have desa only, which are village governments rather
than city units, so they have no children here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None = None


_TOP: tuple[tuple[str, str, str], ...] = (
    ("setda", "Sekretariat Daerah Kota Sawahlunto", "sekretariat"),
    ("setwan", "Sekretariat DPRD Kota Sawahlunto", "sekretariat"),
    ("inspektorat", "Inspektorat Daerah", "inspektorat"),
    ("bappeda", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "badan"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan"),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("dinkes", "Dinas Kesehatan", "dinas"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("dinsos", "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("dishub", "Dinas Perhubungan", "dinas"),
    ("dlh", "Dinas Lingkungan Hidup", "dinas"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "dinas"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("diskoperindag", "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "dinas"),
    ("dispar", "Dinas Pariwisata, Pemuda dan Olahraga", "dinas"),
    ("dispertan", "Dinas Pertanian, Pangan dan Perikanan", "dinas"),
    ("dpkp", "Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("dispussip", "Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("satpolpp", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "satuan"),
    ("rsud", "RSUD Kota Sawahlunto", "rsud"),
)

KECAMATAN: dict[str, tuple[str, ...]] = {
    "barangin": ("Durian I", "Durian II", "Lubang Panjang", "Saringan"),
    "lembah-segar": (
        "Aur Mulyo",
        "Air Dingin",
        "Kubang Sirakuk Utara",
        "Kubang Sirakuk Selatan",
        "Pasar",
        "Tanah Lapang",
    ),
    "silungkang": (),
    "talawi": (),
}

PUSKESMAS = ("talawi", "silungkang", "barangin", "lembah-segar")
SCHOOLS = tuple(f"sdn-{n:02d}" for n in range(1, 13)) + tuple(f"smpn-{n}" for n in range(1, 7))


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def demo_units() -> list[DemoUnit]:
    """Parents before children, so they insert in order."""
    units = [DemoUnit(code, name, kind) for code, name, kind in _TOP]
    for code, kelurahan in KECAMATAN.items():
        title = " ".join(part.capitalize() for part in code.split("-"))
        units.append(DemoUnit(f"kec-{code}", f"Kecamatan {title}", "kecamatan"))
        units += [
            DemoUnit(f"kel-{_slug(k)}", f"Kelurahan {k}", "kelurahan", f"kec-{code}")
            for k in kelurahan
        ]
    for place in PUSKESMAS:
        title = " ".join(part.capitalize() for part in place.split("-"))
        units.append(DemoUnit(f"pkm-{place}", f"Puskesmas {title}", "puskesmas", "dinkes"))
    for school in SCHOOLS:
        kind, number = school.split("-")
        name = f"{kind[:-1].upper()} Negeri {int(number)} Sawahlunto"
        units.append(DemoUnit(school, name, "sekolah", "disdikbud"))
    return units
