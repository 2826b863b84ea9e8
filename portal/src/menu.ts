// Who lands where and what is in the menu (PORTAL.md "Who lands where"). Supervisor rights
// come from the data (`leads`: someone reports to them), not from a role.
export interface Who {
  roles: string[];
  leads: boolean;
}

export interface MenuItem {
  key: string;
  path: string;
}

const ASN: MenuItem[] = [
  { key: "beranda", path: "/" },
  { key: "cuti", path: "/cuti" },
  { key: "skp", path: "/skp" },
  { key: "pelatihan", path: "/pelatihan" },
  { key: "profil", path: "/profil" },
];
const ATASAN: MenuItem[] = [
  { key: "kotakMasuk", path: "/kotak-masuk" },
  { key: "tim", path: "/tim" },
];
const ADMIN_OPD: MenuItem[] = [{ key: "dasborUnit", path: "/dasbor-unit" }];
const BKPSDM: MenuItem[] = [
  { key: "dataPegawai", path: "/data-pegawai" },
  { key: "unitKerja", path: "/unit-kerja" },
  { key: "kenaikanPangkat", path: "/kenaikan-pangkat" },
  { key: "duk", path: "/duk" },
  { key: "pensiun", path: "/pensiun" },
  { key: "pelatihanAnggaran", path: "/pelatihan-anggaran" },
  { key: "hariLibur", path: "/hari-libur" },
];

// Citizens need no account: their pages are the menu when nobody is signed in.
export const CITIZEN: MenuItem[] = [
  { key: "aspirasi", path: "/aspirasi" },
  { key: "lacak", path: "/lacak" },
  { key: "papan", path: "/papan" },
  { key: "masuk", path: "/masuk" },
];

export function menuFor(who: Who): MenuItem[] {
  const items = [...ASN];
  if (who.leads) items.push(...ATASAN);
  if (who.roles.includes("admin_opd") || who.roles.includes("bkpsdm")) items.push(...ADMIN_OPD);
  if (who.roles.includes("bkpsdm")) items.push(...BKPSDM);
  return items;
}

/** The page a person lands on after signing in: their most pressing one. */
export function homeFor(who: Who): string {
  if (who.roles.includes("bkpsdm")) return "/data-pegawai";
  if (who.roles.includes("admin_opd")) return "/dasbor-unit";
  if (who.leads) return "/kotak-masuk";
  return "/";
}
