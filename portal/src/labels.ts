// The words of DOMAIN and PORTAL.md for the codes the API answers with.
export const LEAVE_TYPES = [
  "tahunan",
  "besar",
  "sakit",
  "melahirkan",
  "alasan_penting",
  "cltn",
] as const;
export type LeaveType = (typeof LEAVE_TYPES)[number];

export const LATE = ["TL1", "TL2", "TL3", "TL4"] as const;
export const EARLY = ["PSW1", "PSW2", "PSW3", "PSW4"] as const;

export const PREDIKAT = [
  "sangat_baik",
  "baik",
  "butuh_perbaikan",
  "kurang",
  "sangat_kurang",
] as const;
