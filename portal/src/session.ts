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

export const session = reactive<{ current: Session | null }>({ current: load() });

export function signIn(value: Session): void {
  session.current = value;
  sessionStorage.setItem(KEY, JSON.stringify(value));
}

export function signOut(): void {
  session.current = null;
  sessionStorage.removeItem(KEY);
}
