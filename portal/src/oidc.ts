// OpenID Connect sign-in with the city's identity provider: authorization code + PKCE, done
// by oidc-client-ts (portal/README.md says why). Imported only dynamically, from the sign-in
// pages and sign-out, so the library never weighs on the first load.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";
import type { OidcConfig } from "./api/auth";
import type { Session } from "./session";

const CALLBACK = "/masuk/callback";

function manager(config: OidcConfig): UserManager {
  // The gateway already read the IdP's discovery document: the browser needs no second
  // fetch of it (nor CORS on it). Everything it keeps lives in sessionStorage, as the session.
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  return new UserManager({
    authority: config.issuer,
    metadata: {
      issuer: config.issuer,
      authorization_endpoint: config.authorization_endpoint,
      token_endpoint: config.token_endpoint,
      end_session_endpoint: config.end_session_endpoint ?? undefined,
    },
    client_id: config.client_id,
    scope: config.scope,
    response_type: "code",
    redirect_uri: `${window.location.origin}${CALLBACK}`,
    post_logout_redirect_uri: `${window.location.origin}/masuk`,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: false, // an ended session goes back to /masuk (session.ts)
  });
}

/** To the IdP's login page; it sends the browser back to /masuk/callback. */
export async function startSignIn(config: OidcConfig): Promise<void> {
  await manager(config).signinRedirect();
}

/** A claim by name; dots walk into nested objects (`realm_access.roles`), as the services read it. */
export function claim(claims: Record<string, unknown>, name: string): unknown {
  let value: unknown = claims;
  for (const part of name.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The JWT's payload, unverified: the services verify it; the portal only reads who it names. */
export function payload(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1] ?? "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** The session the access token describes, read with the claim names the services use. */
export function sessionFrom(config: OidcConfig, token: string, idToken: string | undefined, expiresAt: number): Session {
  const claims = payload(token);
  const nip = claim(claims, config.claims.nip);
  const roles = claim(claims, config.claims.roles);
  const unit = claim(claims, config.claims.unit);
  if (typeof nip !== "string" || !nip) throw new Error(`Token tidak membawa NIP pada klaim ${config.claims.nip}.`);
  return {
    token,
    nip,
    name: nip,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
    unit: typeof unit === "string" ? unit : null,
    leads: false,
    via: "oidc",
    idToken,
    expiresAt,
  };
}

/** Back from the IdP: the code exchanged for tokens (with the PKCE verifier), read into a session. */
export async function finishSignIn(config: OidcConfig): Promise<Session> {
  const users = manager(config);
  const user = await users.signinRedirectCallback();
  // The session keeps the token; the library's own copy would be a second one to clear.
  await users.removeUser();
  const expiresAt = user.expires_at ? user.expires_at * 1000 : Date.now() + 5 * 60 * 1000;
  return sessionFrom(config, user.access_token, user.id_token, expiresAt);
}

/** RP-initiated logout at the IdP; it sends the browser back to /masuk. */
export async function endAtIdp(config: OidcConfig, idToken: string): Promise<void> {
  await manager(config).signoutRedirect({ id_token_hint: idToken });
}
