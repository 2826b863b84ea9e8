import { expire, session } from "../session";

// RFC 9457 problem details as the services answer them: `title` and `detail` are already
// in Bahasa Indonesia and are shown as they are; `errors` names the fields.
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { field?: string; loc?: string[]; message?: string; msg?: string }[];
  [extra: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return {
      ...body,
      status: response.status,
      code: body.code ?? `http_${response.status}`,
      title: body.title ?? response.statusText,
    };
  } catch {
    return {
      status: response.status,
      code: `http_${response.status}`,
      title: "Layanan tidak dapat dihubungi",
      detail: `Jawaban ${response.status} dari server.`,
    };
  }
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const all: Record<string, string> = { Accept: "application/json", ...headers };
  if (session.current) all.Authorization = `Bearer ${session.current.token}`;
  if (body !== undefined) all["Content-Type"] = "application/json";
  if (method !== "GET" && !all["Idempotency-Key"]) all["Idempotency-Key"] = crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ProblemError({
      status: 0,
      code: "offline",
      title: "Tidak ada koneksi",
      detail: "Periksa sambungan internet Anda, lalu coba lagi.",
    });
  }
  if (response.status === 401 && session.current) expire();
  if (!response.ok) throw new ProblemError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
};

export function problemText(error: unknown): string {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail && detail !== title ? `${title}: ${detail}` : title;
  }
  return String(error);
}
