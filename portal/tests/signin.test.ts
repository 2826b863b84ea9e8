import { afterEach, describe, expect, it, vi } from "vitest";
import { establish, refreshLeads, type OidcConfig } from "../src/api/auth";
import { ProblemError } from "../src/api/client";
import { claim, payload, sessionFrom } from "../src/oidc";
import { expire, onSessionEnd, session, signIn, signOut } from "../src/session";

const config: OidcConfig = {
  issuer: "https://sso.sawahlunto.go.id",
  authorization_endpoint: "https://sso.sawahlunto.go.id/auth",
  token_endpoint: "https://sso.sawahlunto.go.id/token",
  end_session_endpoint: null,
  client_id: "asn-portal",
  scope: "openid profile",
  claims: { nip: "nip", roles: "realm_access.roles", unit: "opd" },
};

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.signature`;
}

afterEach(() => {
  vi.useRealTimers();
  signOut();
  session.expired = false;
});

describe("the session from the IdP's access token", () => {
  it("reads the NIP, roles and unit from the claims the gateway names", () => {
    const token = jwt({ sub: "acc-7", nip: "198503152010011001", realm_access: { roles: ["admin_opd"] }, opd: "dinkes", name: "Siti" });
    const made = sessionFrom(config, token, "id.token", 1_900_000_000_000);
    expect(made).toMatchObject({
      token,
      nip: "198503152010011001",
      roles: ["admin_opd"],
      unit: "dinkes",
      via: "oidc",
      idToken: "id.token",
      expiresAt: 1_900_000_000_000,
    });
  });

  it("refuses a token that carries no NIP where the gateway says it is", () => {
    expect(() => sessionFrom(config, jwt({ sub: "acc-7" }), undefined, 0)).toThrow(/klaim nip/);
  });

  it("decodes base64url payloads with non-ASCII names and walks nested claims", () => {
    const claims = payload(jwt({ name: "Ñoman Sörensen ~?>" }));
    expect(claims.name).toBe("Ñoman Sörensen ~?>");
    expect(claim({ a: { b: ["x"] } }, "a.b")).toEqual(["x"]);
    expect(claim({ a: "flat" }, "a.b")).toBeUndefined();
  });
});

describe("a session that ends by itself", () => {
  it("ends when its token expires and tells the listeners", () => {
    vi.useFakeTimers();
    const told = vi.fn();
    onSessionEnd(told);
    signIn({ token: "t", nip: "1", name: "A", roles: [], unit: null, leads: false, expiresAt: Date.now() + 60_000 });
    vi.advanceTimersByTime(59_000);
    expect(session.current).not.toBeNull();
    vi.advanceTimersByTime(2_000);
    expect(session.current).toBeNull();
    expect(session.expired).toBe(true);
    expect(told).toHaveBeenCalledTimes(1);
  });

  it("is not reported when the person signs out", () => {
    const told = vi.fn();
    onSessionEnd(told);
    signIn({ token: "t", nip: "1", name: "A", roles: [], unit: null, leads: false, expiresAt: Date.now() + 60_000 });
    signOut();
    expire(); // nothing left to end
    expect(told).not.toHaveBeenCalled();
    expect(session.expired).toBe(false);
  });
});

describe("starting a session with a token", () => {
  it("keeps no session when the services refuse the token", async () => {
    const refused = new Response(JSON.stringify({ code: "unauthenticated", title: "Perlu login" }), {
      status: 401,
      headers: { "Content-Type": "application/problem+json" },
    });
    vi.stubGlobal("fetch", vi.fn().mockImplementation(() => Promise.resolve(refused.clone())));
    const started = establish({ token: "t", nip: "1", name: "1", roles: [], unit: null, leads: false, via: "oidc" });
    await expect(started).rejects.toBeInstanceOf(ProblemError);
    expect(session.current).toBeNull();
    expect(sessionStorage.getItem("asn.session")).toBeNull();
    vi.unstubAllGlobals();
  });
});

describe("a session restored in a new page", () => {
  const reports = (items: unknown[]): Response =>
    new Response(JSON.stringify({ items }), { status: 200, headers: { "Content-Type": "application/json" } });

  afterEach(() => vi.unstubAllGlobals());

  it("learns that someone reports to the person now, and gets the supervisor's menu", async () => {
    signIn({ token: "t", nip: "197001011995031001", name: "A", roles: ["pegawai"], unit: null, leads: false });
    const fetch = vi.fn().mockResolvedValue(reports([{ nip: "199001012015031001" }]));
    vi.stubGlobal("fetch", fetch);
    await refreshLeads();
    expect(String(fetch.mock.calls[0]![0])).toContain("supervisor_nip=197001011995031001");
    expect(session.current?.leads).toBe(true);
    expect(JSON.parse(sessionStorage.getItem("asn.session") ?? "{}").leads).toBe(true);
  });

  it("keeps what it knew when the check fails", async () => {
    signIn({ token: "t", nip: "1", name: "A", roles: ["pegawai"], unit: null, leads: true });
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await refreshLeads();
    expect(session.current?.leads).toBe(true);
  });
});
