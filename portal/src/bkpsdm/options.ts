// The codes the pegawai API takes, in the order a person reads them (pangkat from low to high).
import type { Schemas } from "../api/routes";

export const GOLONGAN_PNS: Schemas["GolonganPns"][] = [
  "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
  "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
];
export const GOLONGAN_PPPK: Schemas["GolonganPppk"][] = [
  "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
];
export const POSITION_KINDS: Schemas["PositionKind"][] = ["jpt", "administrator", "pengawas", "fungsional", "pelaksana"];
export const POSITION_LEVELS: Schemas["PositionLevel"][] = [
  "utama", "madya", "pratama", "ahli_utama", "ahli_madya", "ahli_muda", "ahli_pertama", "penyelia", "mahir", "terampil", "pemula",
];
export const EDUCATION: Schemas["Education"][] = [
  "sd", "sltp", "sltp_kejuruan", "slta", "d1", "d2", "d3", "sarjana_muda", "s1", "d4", "s2", "dokter", "apoteker", "s3",
];

export interface UnitOption {
  code: string;
  name: string;
}

/** The employee as pegawai answers it (services/pegawai/src/pegawai/views.py). */
export interface Employee {
  nip: string;
  name: string;
  sex: string;
  birth_date: string;
  asn_type: string;
  status: string;
  tmt_status: string;
  golongan: string;
  pangkat: string | null;
  tmt_golongan: string;
  tmt_cpns: string;
  position: { code: string | null; name: string; kind: string; level: string | null };
  tmt_position: string;
  unit_code: string;
  unit_name: string | null;
  tmt_unit: string;
  supervisor_nip: string | null;
  tmt_supervisor: string;
  education: string;
  ujian_dinas: number;
  leadership_training: string | null;
  bup_date: string;
  phone?: string | null;
  address?: string | null;
}
