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

async function send(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  accept = "application/json",
): Promise<Response> {
  const all: Record<string, string> = { Accept: accept, ...headers };
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
  return response;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await send(method, path, body, headers);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A record with its ETag, to send back as If-Match with an edit (optimistic concurrency). */
export interface Tagged<T> {
  body: T;
  etag: string | null;
}

export async function requestTagged<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Tagged<T>> {
  const response = await send(method, path, body, headers);
  return { body: (await response.json()) as T, etag: response.headers.get("ETag") };
}

/** The name in `Content-Disposition` (RFC 6266: `filename*` first, then `filename`). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1].trim());
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(disposition);
  return plain?.[1] ?? plain?.[2] ?? fallback;
}

/** Fetch a file with the token (a plain link cannot carry it) and hand it to the browser
 * as a download under the server's name for it. */
export async function download(path: string, fallback: string): Promise<string> {
  const response = await send("GET", path, undefined, {}, "*/*");
  const name = filenameOf(response.headers.get("Content-Disposition"), fallback);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>("POST", path, body ?? {}, headers),
  put: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>("PUT", path, body, headers),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** `If-Match` for an edit of a record read with its ETag. */
export function ifMatch(etag: string | null): Record<string, string> {
  return etag ? { "If-Match": etag } : {};
}

export function problemText(error: unknown): string {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail && detail !== title ? `${title}: ${detail}` : title;
  }
  return String(error);
}
