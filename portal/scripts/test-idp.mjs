// A real OpenID provider for the browser tests (tests/e2e/test_portal_oidc_browser.py):
// panva's oidc-provider, the certified Node implementation, with the portal as a public
// client (authorization code + PKCE), a fresh RS256 key published as its JWKS, and people
// whose access tokens carry a NIP, roles and a unit as the city's IdP's would.
//
//   IDP_PORT=9400 IDP_PORTAL=http://127.0.0.1:8000 IDP_ACCOUNTS='{"siti": {...}}' node scripts/test-idp.mjs
//
// IDP_ACCOUNTS maps a login to {nip, name, roles, unit_id}; any password is accepted (the
// provider's own login page, `devInteractions`). Never for production: it keeps everything
// in memory.
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.IDP_PORT ?? 9400);
const portal = process.env.IDP_PORTAL ?? "http://127.0.0.1:8000";
const clientId = process.env.IDP_CLIENT_ID ?? "asn-portal";
const audience = process.env.IDP_AUDIENCE ?? "asn-suite";
const tokenTtl = Number(process.env.IDP_TOKEN_TTL_S ?? 600);
const accounts = JSON.parse(process.env.IDP_ACCOUNTS ?? "{}");
const issuer = `http://127.0.0.1:${port}`;
// The suite's API as a resource: access tokens for it are JWTs with the audience the
// services check (RFC 8707 resource indicators; without one the provider issues opaque tokens).
const resource = `${portal}/api`;

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-idp-1", use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_name: "Portal ASN",
      token_endpoint_auth_method: "none", // a browser app keeps no secret: PKCE instead
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [`${portal}/masuk/callback`],
      post_logout_redirect_uris: [`${portal}/masuk`],
    },
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["name"] },
  async findAccount(_ctx, id) {
    const person = accounts[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: person.name }) };
  },
  // What the services read (ASN_JWT_NIP_CLAIM and friends): the account id is the IdP's
  // own, the NIP an attribute of the person, as at most identity providers.
  async extraTokenClaims(_ctx, token) {
    const person = accounts[token.accountId];
    if (token.kind !== "AccessToken" || !person) return undefined;
    return { nip: person.nip, roles: person.roles, ...(person.unit_id ? { unit_id: person.unit_id } : {}) };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "openid profile",
        audience,
        accessTokenTTL: tokenTtl,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`test IdP ${issuer} for ${portal} (${Object.keys(accounts).length} accounts)`);
});
