import { signIn, type Session } from "../session";
import { api, request } from "./client";

export interface DevPerson {
  nip: string;
  name: string;
  position: string | null;
  unit: string;
  roles: string[];
}
export type DevPeople = Record<"bkpsdm" | "admin_opd" | "supervisor" | "staff", DevPerson[]>;

export function devPeople(): Promise<DevPeople> {
  return api.get<DevPeople>("/auth/dev-people");
}

/** A dev token, then who the person is: their name and whether anyone reports to them
 * (supervisor rights come from the data). */
export async function devSignIn(nip: string, roles: string[], unit: string | null): Promise<Session> {
  const { access_token: token } = await request<{ access_token: string }>("POST", "/auth/dev-token", {
    nip,
    roles,
    unit: unit || null,
  });
  const current: Session = { token, nip, name: nip, roles, unit: unit || null, leads: false };
  signIn(current);
  const [profile, reports] = await Promise.allSettled([
    api.get<{ name: string }>(`/api/profiles/${nip}`),
    api.get<{ items: unknown[] }>(`/api/employees?supervisor_nip=${nip}&limit=1`),
  ]);
  const next: Session = {
    ...current,
    name: profile.status === "fulfilled" ? profile.value.name : nip,
    leads: reports.status === "fulfilled" && reports.value.items.length > 0,
  };
  signIn(next);
  return next;
}
