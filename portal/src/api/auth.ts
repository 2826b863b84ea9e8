import { signIn, type Session } from "../session";
import { api, request } from "./client";
import { route, type Schemas } from "./routes";

export type DevPerson = Schemas["DevPerson"];
export type DevPeople = Schemas["DevPeople"];

export function devPeople(): Promise<DevPeople> {
  return api.get<DevPeople>(route("/auth/dev-people", {}));
}

/** A dev token, then who the person is: their name and whether anyone reports to them
 * (supervisor rights come from the data). */
export async function devSignIn(nip: string, roles: Schemas["Role"][], unit: string | null): Promise<Session> {
  const body: Schemas["DevTokenRequest"] = { nip, roles, unit: unit || null };
  const { access_token: token } = await request<{ access_token: string }>("POST", route("/auth/dev-token", {}), body);
  const current: Session = { token, nip, name: nip, roles, unit: unit || null, leads: false };
  signIn(current);
  const [profile, reports] = await Promise.allSettled([
    api.get<{ name: string }>(route("/api/profiles/{nip}", { nip })),
    api.get<{ items: unknown[] }>(route("/api/employees", {}, { supervisor_nip: nip, limit: 1 })),
  ]);
  const next: Session = {
    ...current,
    name: profile.status === "fulfilled" ? profile.value.name : nip,
    leads: reports.status === "fulfilled" && reports.value.items.length > 0,
  };
  signIn(next);
  return next;
}
