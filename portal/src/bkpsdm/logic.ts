// The BKPSDM pages' small rules, kept out of the components so Vitest can hold them.
import { ProblemError } from "../api/client";

/** Kenaikan pangkat periods are 1 April and 1 October (DOMAIN): `ahead` from the next one on,
 * and `past` before it, oldest first, as `YYYY-MM-DD`. */
export function promotionPeriods(today: string, past = 1, ahead = 3): string[] {
  const year = Number(today.slice(0, 4));
  const all: string[] = [];
  for (let y = year - 2; y <= year + 3; y++) all.push(`${y}-04-01`, `${y}-10-01`);
  const next = all.findIndex((p) => p >= today);
  return all.slice(Math.max(0, next - past), next + ahead);
}

/** The first period on or after `today`. */
export function nextPeriod(today: string): string {
  return promotionPeriods(today, 0, 1)[0]!;
}

/** Only what the person changed, blanks as `null`: a PATCH sends what it means to change,
 * so a field someone else corrected meanwhile is not overwritten with the old value. */
export function changedFields<T extends Record<string, unknown>>(
  original: Record<string, unknown>,
  draft: T,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(draft) as (keyof T & string)[]) {
    const value = draft[key] === "" ? null : draft[key];
    if (value !== (original[key] ?? null)) out[key] = value as T[typeof key];
  }
  return out;
}

/** Someone saved the record after this page read it (412 on If-Match). */
export function isStaleEdit(error: unknown): boolean {
  return error instanceof ProblemError && error.problem.status === 412;
}

/** The reasons a promotion would fail, for the override's confirmation. */
export interface Reason {
  code: string;
  message: string;
}

/** A promotion is sent with a justification exactly when the rules do not allow it. */
export function promotionBody(period: string, reasons: Reason[], justification: string): {
  tmt: string;
  override_justification?: string;
} {
  const text = justification.trim();
  return reasons.length && text ? { tmt: period, override_justification: text } : { tmt: period };
}

/** The problem's `errors` by field (`body.position.name` → `position.name`), to show each
 * message beside its input rather than a general "check the fields". */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ProblemError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const field = (e.field ?? e.loc?.join(".") ?? "").replace(/^body\.?/, "");
    const message = e.message ?? e.msg;
    if (field && message && !(field in out)) out[field] = message;
  }
  return out;
}
