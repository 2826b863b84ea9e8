import { session, signIn, signOut, type Session } from "../session";
import { api, request } from "./client";
import { route, type Schemas } from "./routes";

export type DevPerson = Schemas["DevPerson"];
export type DevPeople = Schemas["DevPeople"];
export type SignInConfig = Schemas["SignInConfig"];
export type OidcConfig = Schemas["OidcConfig"];

export function devPeople(): Promise<DevPeople> {
  return api.get<DevPeople>(route("/auth/dev-people", {}));
}

/** Which sign-in the gateway offers: demo people (development), the city's IdP, or both. */
export function signInConfig(): Promise<SignInConfig> {
  return api.get<SignInConfig>(route("/auth/config", {}));
}

/** With a token in hand: who the person is — their name, and whether anyone reports to them
 * (supervisor rights come from the data, not from the token). */
export async function establish(current: Session): Promise<Session> {
  signIn(current);
  const { nip } = current;
  const [profile, reports] = await Promise.allSettled([
    api.get<{ name: string }>(route("/api/profiles/{nip}", { nip })),
    leads(nip),
  ]);
  if (session.current?.token !== current.token) {
    // The services refused the token (a 401 ended the session): say why, keep no session.
    const refused = [profile, reports].find((r) => r.status === "rejected");
    throw refused?.status === "rejected" ? refused.reason : new Error("Sesi tidak dapat dimulai.");
  }
  const next: Session = {
    ...current,
    name: profile.status === "fulfilled" ? profile.value.name : nip,
    leads: reports.status === "fulfilled" && reports.value,
  };
  signIn(next);
  return next;
}

function leads(nip: string): Promise<boolean> {
  return api
    .get<{ items: unknown[] }>(route("/api/employees", {}, { supervisor_nip: nip, limit: 1 }))
    .then((reports) => reports.items.length > 0);
}

/** A session restored in a new page (a reload, a second tab) asks again whether anyone reports
 * to the person: BKPSDM may have assigned a team since, and a reload in the middle of signing in
 * kept the session from before the answer. A failed check keeps what the session knew. */
export async function refreshLeads(): Promise<void> {
  const current = session.current;
  if (!current) return;
  let now: boolean;
  try {
    now = await leads(current.nip);
  } catch {
    return;
  }
  if (session.current?.token === current.token && session.current.leads !== now) {
    signIn({ ...session.current, leads: now });
  }
}

/** A dev token, then who the person is. */
export async function devSignIn(nip: string, roles: Schemas["Role"][], unit: string | null): Promise<Session> {
  const body: Schemas["DevTokenRequest"] = { nip, roles, unit: unit || null };
  const answer = await request<{ access_token: string; expires_in: number }>("POST", route("/auth/dev-token", {}), body);
  return establish({
    token: answer.access_token,
    nip,
    name: nip,
    roles,
    unit: unit || null,
    leads: false,
    via: "dev",
    expiresAt: Date.now() + answer.expires_in * 1000,
  });
}

/** Sign out here, and at the city's IdP when the person signed in there and it offers
 * logout (the browser then leaves for the IdP and comes back to /masuk). */
export async function signOutEverywhere(current: Session | null): Promise<boolean> {
  signOut();
  if (current?.via !== "oidc" || !current.idToken) return false;
  try {
    const config = await signInConfig();
    if (!config.oidc?.end_session_endpoint) return false;
    const { endAtIdp } = await import("../oidc"); // the OIDC library only when it is used
    await endAtIdp(config.oidc, current.idToken);
    return true;
  } catch {
    return false; // signed out here at least; the IdP's session ends with its own expiry
  }
}
