import { describe, expect, it } from "vitest";
import { ProblemError, filenameOf } from "../src/api/client";
import { changedFields, fieldErrors, isStaleEdit, nextPeriod, promotionBody, promotionPeriods } from "../src/bkpsdm/logic";

describe("kenaikan pangkat periods (1 April and 1 October)", () => {
  it("lists the last period and the next three, oldest first", () => {
    expect(promotionPeriods("2026-11-29")).toEqual(["2026-10-01", "2027-04-01", "2027-10-01", "2028-04-01"]);
  });

  it("counts a period that is today as the next one", () => {
    expect(nextPeriod("2026-04-01")).toBe("2026-04-01");
    expect(nextPeriod("2026-04-02")).toBe("2026-10-01");
    expect(promotionPeriods("2026-01-15", 1, 1)).toEqual(["2025-10-01", "2026-04-01"]);
  });
});

describe("an edit sends only what changed", () => {
  it("leaves out untouched fields and sends a cleared one as null", () => {
    const original = { name: "Siti", phone: "0812", address: null, ujian_dinas: 0 };
    expect(changedFields(original, { name: "Siti", phone: "", address: "Jl. Ahmad Yani 1", ujian_dinas: 1 })).toEqual({
      phone: null,
      address: "Jl. Ahmad Yani 1",
      ujian_dinas: 1,
    });
    expect(changedFields(original, { name: "Siti", address: "" })).toEqual({});
  });

  it("knows a stale edit (412) from any other refusal", () => {
    const problem = (status: number) => new ProblemError({ status, code: "x", title: "x" });
    expect(isStaleEdit(problem(412))).toBe(true);
    expect(isStaleEdit(problem(409))).toBe(false);
    expect(isStaleEdit(new Error("x"))).toBe(false);
  });
});

describe("promote or override", () => {
  const reason = { code: "appraisal_missing", message: "Penilaian 2025 belum ada." };
  it("sends the justification only when a rule fails", () => {
    expect(promotionBody("2027-04-01", [], "abaikan")).toEqual({ tmt: "2027-04-01" });
    expect(promotionBody("2027-04-01", [reason], "  Keputusan Wali Kota  ")).toEqual({
      tmt: "2027-04-01",
      override_justification: "Keputusan Wali Kota",
    });
  });
});

describe("the downloaded file's name", () => {
  it("comes from Content-Disposition, filename* first", () => {
    expect(filenameOf('attachment; filename="DUK-kota-2026-11-29.xlsx"', "duk.xlsx")).toBe("DUK-kota-2026-11-29.xlsx");
    expect(filenameOf("attachment; filename*=UTF-8''Pensiun%20kota.csv; filename=x.csv", "p.csv")).toBe("Pensiun kota.csv");
    expect(filenameOf("attachment; filename=DUK.csv", "d.csv")).toBe("DUK.csv");
    expect(filenameOf(null, "duk.xlsx")).toBe("duk.xlsx");
  });
});

describe("a refusal's fields", () => {
  it("puts each message beside its field, the body's prefix dropped", () => {
    const error = new ProblemError({
      status: 422,
      code: "validation_error",
      title: "Data yang dikirim tidak valid",
      errors: [
        { field: "body.position.name", message: "String should have at least 1 character" },
        { field: "nip", message: "NIP harus 18 digit." },
        { field: "body", message: "golongan PNS ditulis seperti III/a" },
      ],
    });
    expect(fieldErrors(error)).toEqual({
      "position.name": "String should have at least 1 character",
      nip: "NIP harus 18 digit.",
    });
    expect(fieldErrors(new Error("x"))).toEqual({});
  });
});
