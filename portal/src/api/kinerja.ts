// The answers of kinerja's routes as the gateway forwards them (services/kinerja/.../views.py),
// written by hand while those routes declare no response model.
import type { Aspect, CoreValue, PredikatCode, Rating } from "../kinerja";

export interface Indicator {
  aspect: Aspect;
  description: string;
  target: string;
}

export interface Rhk {
  id: string;
  kind: "utama" | "tambahan";
  title: string;
  indicators: Indicator[];
  supervisor_rhk_id: string | null;
}

export interface Skp {
  id: string;
  nip: string;
  year: number;
  start: string;
  end: string;
  status: "draft" | "submitted" | "approved" | "returned";
  unit_code: string;
  rater_nip: string | null;
  approved_at: string | null;
  return_note: string | null;
  closed_on: string | null;
  version: number;
  rhk: Rhk[];
}

export interface SelfResult {
  rhk_id: string;
  realisasi: string;
  evidence_links: string[];
  self_rating: Rating | null;
}

export interface Appraisal {
  id: string;
  skp_id: string;
  nip: string;
  period: { kind: "annual" | "quarterly" | "monthly"; year: number; number: number | null; start: string; end: string };
  status: "draft" | "submitted" | "finalized";
  self_assessment: { results: SelfResult[]; note: string | null } | null;
  rater_nip: string | null;
  rating: {
    rating_hasil_kerja: Rating;
    perilaku: { value: CoreValue; rating: Rating; note: string }[];
    note: string | null;
  } | null;
  rating_hasil_kerja: Rating | null;
  rating_perilaku_kerja: Rating | null;
  predikat: PredikatCode | null;
  predikat_label: string | null;
  finalized_at: string | null;
  revision: number;
  version: number;
  distribution_warnings?: { code: string; message: string }[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The profile's `kinerja` section (gateway/src/gateway/api/kinerja_views.py). */
export interface ProfileKinerja {
  current_skp: { skp_id: string; year: number; status: string; appraisal_status: string } | null;
  annual_predikat: { year: number; predikat: PredikatCode; predikat_label: string }[];
}
