import type { components, paths } from "./schema";

// Every path the portal calls is one of the gateway's OpenAPI paths, and every body it sends
// is the schema the service declares: a renamed route or a changed body fails `vue-tsc`.
export type Schemas = components["schemas"];
export type ApiPath = keyof paths;

type Params<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name | keyof Params<Rest>]: string }
  : Record<never, string>;

/** `route("/api/profiles/{nip}", { nip })` → `/api/profiles/19830325…`, with a query. */
export function route<P extends ApiPath>(
  template: P,
  params: Params<P>,
  query: Record<string, string | number | undefined> = {},
): string {
  const values = params as Record<string, string>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
  const search = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  return search ? `${path}?${search}` : path;
}
