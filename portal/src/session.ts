import { reactive } from "vue";

// Who is signed in. The token lives in sessionStorage: it ends with the tab, and a shared
// office computer does not keep it.
export interface Session {
  token: string;
  nip: string;
  name: string;
  roles: string[];
  unit: string | null;
  leads: boolean;
  /** How the person signed in: an "oidc" session also ends at the city's IdP. */
  via?: "dev" | "oidc";
  /** The IdP's ID token, its hint for ending the session there. */
  idToken?: string;
  /** When the token stops working (ms since the epoch). */
  expiresAt?: number;
}

const KEY = "asn.session";

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export const session = reactive<{ current: Session | null; expired: boolean }>({
  current: load(),
  expired: false,
});

// A token that runs out ends the session by itself: the person goes back to /masuk with a
// note (router.ts), rather than meeting a page full of 401s.
const ended: (() => void)[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/** Call `listener` whenever a session ends on its own (expired or refused by the server). */
export function onSessionEnd(listener: () => void): void {
  ended.push(listener);
}

function watchExpiry(value: Session | null): void {
  clearTimeout(timer);
  if (!value?.expiresAt) return;
  // setTimeout cannot wait longer than ~24.8 days; tokens live hours.
  const wait = Math.min(value.expiresAt - Date.now(), 2 ** 31 - 1);
  timer = setTimeout(expire, Math.max(wait, 0));
}

export function signIn(value: Session): void {
  session.current = value;
  session.expired = false;
  sessionStorage.setItem(KEY, JSON.stringify(value));
  watchExpiry(value);
}

export function signOut(): void {
  clearTimeout(timer);
  session.current = null;
  sessionStorage.removeItem(KEY);
}

/** The session is over without the person asking (expiry, or a 401 from the server). */
export function expire(): void {
  if (!session.current) return;
  signOut();
  session.expired = true;
  for (const listener of ended) listener();
}

watchExpiry(session.current);
