// Performance rules as kinerja applies them (DOMAIN 1.8; services/kinerja/.../domain/predikat.py),
// so the rater sees the predikat before sending. kinerja computes it again and its answer wins.
export const RATINGS = ["di_atas_ekspektasi", "sesuai_ekspektasi", "di_bawah_ekspektasi"] as const;
export type Rating = (typeof RATINGS)[number];

export const PREDIKAT_CODES = [
  "sangat_baik",
  "baik",
  "butuh_perbaikan",
  "kurang_misconduct",
  "sangat_kurang",
] as const;
export type PredikatCode = (typeof PREDIKAT_CODES)[number];

/** The seven BerAKHLAK core values, in their acronym's order. */
export const CORE_VALUES = [
  "berorientasi_pelayanan",
  "akuntabel",
  "kompeten",
  "harmonis",
  "loyal",
  "adaptif",
  "kolaboratif",
] as const;
export type CoreValue = (typeof CORE_VALUES)[number];

export const ASPECTS = ["kuantitas", "kualitas", "waktu", "biaya"] as const;
export type Aspect = (typeof ASPECTS)[number];

/** Hasil kerja (rows) × perilaku kerja (columns) → predikat, PermenPANRB 6/2022. */
export const MATRIX: Record<Rating, Record<Rating, PredikatCode>> = {
  di_atas_ekspektasi: {
    di_bawah_ekspektasi: "kurang_misconduct",
    sesuai_ekspektasi: "baik",
    di_atas_ekspektasi: "sangat_baik",
  },
  sesuai_ekspektasi: {
    di_bawah_ekspektasi: "kurang_misconduct",
    sesuai_ekspektasi: "baik",
    di_atas_ekspektasi: "baik",
  },
  di_bawah_ekspektasi: {
    di_bawah_ekspektasi: "sangat_kurang",
    sesuai_ekspektasi: "butuh_perbaikan",
    di_atas_ekspektasi: "butuh_perbaikan",
  },
};

export function predikatOf(hasilKerja: Rating, perilakuKerja: Rating): PredikatCode {
  return MATRIX[hasilKerja][perilakuKerja];
}

/** The overall perilaku rating from the values' ratings, as kinerja's `overall_rating`:
 * "di bawah" when most are below; "di atas" when most are above and none below;
 * otherwise "sesuai". */
export function overallRating(ratings: Rating[]): Rating {
  if (!ratings.length) return "sesuai_ekspektasi";
  const above = ratings.filter((r) => r === "di_atas_ekspektasi").length;
  const below = ratings.filter((r) => r === "di_bawah_ekspektasi").length;
  if (below * 2 > ratings.length) return "di_bawah_ekspektasi";
  if (above * 2 > ratings.length && below === 0) return "di_atas_ekspektasi";
  return "sesuai_ekspektasi";
}

/** The predikat the form would send, or null while a rating is still missing. */
export function predikatPreview(
  hasilKerja: Rating | null,
  values: Partial<Record<CoreValue, Rating | null>>,
): { perilaku: Rating; predikat: PredikatCode } | null {
  const given = CORE_VALUES.map((v) => values[v] ?? null);
  if (hasilKerja === null || given.some((r) => r === null)) return null;
  const perilaku = overallRating(given as Rating[]);
  return { perilaku, predikat: predikatOf(hasilKerja, perilaku) };
}

export interface IndicatorDraft {
  aspect: Aspect;
  description: string;
  target: string;
}

export interface RhkDraft {
  kind: "utama" | "tambahan";
  title: string;
  indicators: IndicatorDraft[];
}

export function emptyIndicator(): IndicatorDraft {
  return { aspect: "kuantitas", description: "", target: "" };
}

export function emptyRhk(): RhkDraft {
  return { kind: "utama", title: "", indicators: [emptyIndicator()] };
}

/** The RHK as kinerja takes them: trimmed, blank indicators dropped. Problems are the
 * fields still empty, named as `rhk.{i}.title` / `rhk.{i}.indicators`, so the form can say
 * which before anything is sent. */
export function rhkBody(drafts: RhkDraft[]): { rhk: RhkDraft[]; missing: string[] } {
  const missing: string[] = [];
  if (!drafts.length) missing.push("rhk");
  const rhk = drafts.map((d, i) => {
    const indicators = d.indicators
      .map((x) => ({ aspect: x.aspect, description: x.description.trim(), target: x.target.trim() }))
      .filter((x) => x.description || x.target);
    if (!d.title.trim()) missing.push(`rhk.${i}.title`);
    if (!indicators.length || indicators.some((x) => !x.description || !x.target)) {
      missing.push(`rhk.${i}.indicators`);
    }
    return { kind: d.kind, title: d.title.trim(), indicators };
  });
  return { rhk, missing };
}

/** The SKP states an employee may still change and send. */
export function editable(status: string): boolean {
  return status === "draft" || status === "returned";
}
