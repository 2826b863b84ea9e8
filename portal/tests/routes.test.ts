import { describe, expect, it } from "vitest";
import { route } from "../src/api/routes";

describe("paths from the gateway's OpenAPI", () => {
  it("fills the path's parameters, escaped, and adds the query", () => {
    expect(route("/api/profiles/{nip}", { nip: "198303252011032001" })).toBe("/api/profiles/198303252011032001");
    expect(route("/api/units/{code}/dashboard", { code: "dinkes p2p" })).toBe("/api/units/dinkes%20p2p/dashboard");
    expect(route("/api/employees", {}, { supervisor_nip: "1", limit: 1, unit: undefined })).toBe(
      "/api/employees?supervisor_nip=1&limit=1",
    );
  });
});
