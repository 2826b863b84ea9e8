import { afterEach, describe, expect, it, vi } from "vitest";
import { api, problemText, ProblemError } from "../src/api/client";
import { session, signIn } from "../src/session";

afterEach(() => {
  vi.unstubAllGlobals();
  session.current = null;
});

function answer(status: number, body: unknown, type = "application/problem+json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

describe("the API client", () => {
  it("shows the problem's own Indonesian title and detail", async () => {
    const problem = { code: "insufficient_balance", title: "Sisa cuti tidak cukup", detail: "Sisa 2 hari, diminta 3." };
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(answer(422, problem)));
    const error = await api.post("/api/leave-requests", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem.code).toBe("insufficient_balance");
    expect(problemText(error)).toBe("Sisa cuti tidak cukup: Sisa 2 hari, diminta 3.");
  });

  it("sends the token and an idempotency key with a command, and signs out on 401", async () => {
    signIn({ token: "t0k", nip: "1", name: "A", roles: ["pegawai"], unit: null, leads: false });
    const fetch = vi.fn().mockResolvedValue(answer(401, { code: "unauthorized", title: "Belum masuk" }));
    vi.stubGlobal("fetch", fetch);
    await expect(api.post("/api/attendance/check-in")).rejects.toBeInstanceOf(ProblemError);
    const headers = fetch.mock.calls[0]![1].headers as Record<string, string>;
    expect(headers.Authorization).toBe("Bearer t0k");
    expect(headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.current).toBeNull();
  });

  it("says the connection is gone rather than a stack trace", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const error = await api.get("/api/inbox").catch((e: unknown) => e);
    expect((error as ProblemError).problem.code).toBe("offline");
    expect(problemText(error)).toContain("Tidak ada koneksi");
  });
});
