import { request } from "./client";

// The citizens' routes (`/api/public/…`, no token) are forwarded by the gateway as they are
// and are not in its OpenAPI document (the gateway keeps them out of the schema), so their
// paths and shapes are written here by hand, from services/aspirasi/README.md.
export type PublicPath =
  | "/api/public/submissions"
  | "/api/public/submissions/{code}"
  | "/api/public/submissions/{code}/confirm"
  | "/api/public/submissions/{code}/reopen"
  | "/api/public/submissions/{code}/rating"
  | "/api/public/board";

export const KINDS = ["aspirasi", "pengaduan", "permintaan_informasi", "apresiasi"] as const;
export const PRIVACIES = ["rahasia", "anonim", "publik"] as const;
export type Kind = (typeof KINDS)[number];
export type Privacy = (typeof PRIVACIES)[number];

export interface SubmissionBody {
  kind: Kind;
  title: string;
  text: string;
  privacy: Privacy;
  unit_code?: string | null;
  reporter_name?: string | null;
  photos?: string[];
}

export interface Receipt {
  code: string;
  secret: string;
  status: string;
  privacy: Privacy;
  received_at: string;
  note: string;
}

export interface Ticket {
  code: string;
  kind: Kind;
  privacy: Privacy;
  status: string;
  title: string;
  text: string;
  unit_name: string | null;
  answer: string | null;
  rating: number | null;
  reopen_count: number;
  received_at: string;
  history: { at: string; action: string; by: string; note: string | null }[];
}

export interface UnitFigures {
  unit_code: string;
  unit_name: string | null;
  received: number;
  resolved: number;
  sla_compliance: number | null;
  average_rating: number | null;
}

export interface Board {
  month: string;
  units: UnitFigures[];
  items: { code: string; kind: Kind; title: string; unit_name: string | null; status: string }[];
}

/** `publicPath("/api/public/submissions/{code}", "LPR-…")`: the code is encoded. */
export function publicPath(template: PublicPath, code = ""): string {
  return template.replace("{code}", encodeURIComponent(code));
}

/** A step on one's own ticket: the secret goes in a header, never in the address. */
export function onTicket<T>(method: string, template: PublicPath, code: string, secret: string, body?: unknown): Promise<T> {
  return request<T>(method, publicPath(template, code), body, { "X-Ticket-Secret": secret });
}

/** A photo as the API takes it: base64 of the file's bytes, without the data-URL prefix. */
export function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
