import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import PredikatMatrix from "../src/components/PredikatMatrix.vue";
import { i18n } from "../src/i18n";
import {
  CORE_VALUES,
  overallRating,
  predikatOf,
  predikatPreview,
  rhkBody,
  type CoreValue,
  type Rating,
} from "../src/kinerja";

const ATAS: Rating = "di_atas_ekspektasi";
const SESUAI: Rating = "sesuai_ekspektasi";
const BAWAH: Rating = "di_bawah_ekspektasi";

const all = (r: Rating): Record<CoreValue, Rating> =>
  Object.fromEntries(CORE_VALUES.map((v) => [v, r])) as Record<CoreValue, Rating>;

describe("the predikat matrix (DOMAIN 1.8)", () => {
  it("gives each of the nine cells as the regulation's table", () => {
    expect(predikatOf(ATAS, ATAS)).toBe("sangat_baik");
    expect(predikatOf(ATAS, SESUAI)).toBe("baik");
    expect(predikatOf(ATAS, BAWAH)).toBe("kurang_misconduct");
    expect(predikatOf(SESUAI, ATAS)).toBe("baik");
    expect(predikatOf(SESUAI, SESUAI)).toBe("baik");
    expect(predikatOf(SESUAI, BAWAH)).toBe("kurang_misconduct");
    expect(predikatOf(BAWAH, ATAS)).toBe("butuh_perbaikan");
    expect(predikatOf(BAWAH, SESUAI)).toBe("butuh_perbaikan");
    expect(predikatOf(BAWAH, BAWAH)).toBe("sangat_kurang");
  });

  it("derives perilaku from the seven values as kinerja does", () => {
    expect(overallRating([])).toBe(SESUAI);
    expect(overallRating([ATAS, ATAS, ATAS, ATAS, SESUAI, SESUAI, SESUAI])).toBe(ATAS);
    // Most above, but one below: not "di atas".
    expect(overallRating([ATAS, ATAS, ATAS, ATAS, ATAS, SESUAI, BAWAH])).toBe(SESUAI);
    expect(overallRating([BAWAH, BAWAH, BAWAH, BAWAH, ATAS, ATAS, ATAS])).toBe(BAWAH);
    expect(overallRating([BAWAH, BAWAH, BAWAH, SESUAI, SESUAI, SESUAI, SESUAI])).toBe(SESUAI);
  });

  it("previews the predikat only once hasil kerja and all seven values are rated", () => {
    expect(predikatPreview(null, all(ATAS))).toBeNull();
    expect(predikatPreview(ATAS, { ...all(ATAS), loyal: null })).toBeNull();
    expect(predikatPreview(ATAS, all(ATAS))).toEqual({ perilaku: ATAS, predikat: "sangat_baik" });
    expect(predikatPreview(BAWAH, all(BAWAH))).toEqual({ perilaku: BAWAH, predikat: "sangat_kurang" });
  });
});

describe("the RHK form's body", () => {
  it("trims, drops blank indicators and names what is missing", () => {
    const { rhk, missing } = rhkBody([
      {
        kind: "utama",
        title: "  Layanan kenaikan pangkat ",
        indicators: [
          { aspect: "kuantitas", description: "Berkas selesai", target: " 200 berkas " },
          { aspect: "waktu", description: " ", target: "" },
        ],
      },
      { kind: "tambahan", title: "", indicators: [{ aspect: "kualitas", description: "Tanpa revisi", target: "" }] },
    ]);
    expect(rhk[0]).toEqual({
      kind: "utama",
      title: "Layanan kenaikan pangkat",
      indicators: [{ aspect: "kuantitas", description: "Berkas selesai", target: "200 berkas" }],
    });
    expect(missing).toEqual(["rhk.1.title", "rhk.1.indicators"]);
    expect(rhkBody([]).missing).toEqual(["rhk"]);
  });
});

describe("PredikatMatrix", () => {
  it("shows the nine cells with the official labels and marks the rater's cell in words", () => {
    const wrapper = mount(PredikatMatrix, {
      props: { hasilKerja: SESUAI, perilaku: BAWAH },
      global: { plugins: [i18n] },
    });
    const cells = wrapper.findAll("td");
    expect(cells).toHaveLength(9);
    expect(wrapper.text()).toContain("Kurang/Misconduct");
    expect(wrapper.text()).toContain("Sangat Kurang");
    const chosen = wrapper.findAll("td[aria-current='true']");
    expect(chosen).toHaveLength(1);
    expect(chosen[0]!.text()).toBe("Kurang/Misconduct (pilihan Anda)");
    // Its row is "Sesuai Ekspektasi" (hasil kerja), its column "Di Bawah Ekspektasi".
    const row = chosen[0]!.element.parentElement!;
    expect(row.querySelector("th")!.textContent).toBe("Sesuai Ekspektasi");
    const column = [...row.children].indexOf(chosen[0]!.element);
    expect(wrapper.findAll("thead th")[column]!.text()).toBe("Di Bawah Ekspektasi");
  });

  it("marks no cell while a rating is missing", () => {
    const wrapper = mount(PredikatMatrix, {
      props: { hasilKerja: ATAS, perilaku: null },
      global: { plugins: [i18n] },
    });
    expect(wrapper.findAll("td[aria-current='true']")).toHaveLength(0);
  });
});
