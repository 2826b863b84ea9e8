import { describe, expect, it } from "vitest";
import { CITIZEN } from "../src/menu";
import { publicPath } from "../src/api/public";

describe("citizens' pages (no sign-in)", () => {
  it("encodes the ticket code into the public path", () => {
    expect(publicPath("/api/public/submissions/{code}/reopen", "LPR/1 2")).toBe(
      "/api/public/submissions/LPR%2F1%202/reopen",
    );
    expect(publicPath("/api/public/board")).toBe("/api/public/board");
  });

  it("offers the citizen's menu of PORTAL.md, and the way in for ASN", () => {
    expect(CITIZEN.map((i) => i.key)).toEqual(["aspirasi", "lacak", "papan", "masuk"]);
  });
});
