import { describe, expect, it } from "vitest";
import { homeFor, menuFor } from "../src/menu";

const keys = (roles: string[], leads = false): string[] => menuFor({ roles, leads }).map((i) => i.key);

describe("who lands where (PORTAL.md)", () => {
  it("gives an ASN the own pages only", () => {
    expect(keys(["pegawai"])).toEqual(["beranda", "cuti", "skp", "pelatihan", "profil"]);
    expect(homeFor({ roles: ["pegawai"], leads: false })).toBe("/");
  });

  it("adds the inbox for whoever has people reporting to them, whatever the roles", () => {
    expect(keys(["pegawai"], true)).toContain("kotakMasuk");
    expect(keys(["pegawai"], true)).toContain("tim");
    expect(keys(["pegawai"])).not.toContain("tim");
    expect(homeFor({ roles: ["pegawai"], leads: true })).toBe("/kotak-masuk");
  });

  it("gives an OPD admin the unit dashboard as home, and BKPSDM the union", () => {
    expect(keys(["pegawai", "admin_opd"])).toContain("dasborUnit");
    expect(homeFor({ roles: ["pegawai", "admin_opd"], leads: false })).toBe("/dasbor-unit");
    expect(keys(["pegawai", "bkpsdm"], true)).toEqual([
      "beranda",
      "cuti",
      "skp",
      "pelatihan",
      "profil",
      "kotakMasuk",
      "tim",
      "dasborUnit",
      "dataPegawai",
      "unitKerja",
      "kenaikanPangkat",
      "duk",
      "pensiun",
      "pelatihanAnggaran",
      "hariLibur",
    ]);
  });
});
