import { describe, expect, it } from "vitest";
import {
  dateLong,
  dateShort,
  money,
  monthYear,
  nip,
  number,
  percent,
  timeWib,
  todayWib,
  weekdaysBetween,
} from "../src/format";

describe("formats of PORTAL.md, in WIB", () => {
  it("writes dates the Indonesian way", () => {
    expect(dateLong("2026-11-30")).toBe("Senin, 30 November 2026");
    expect(dateShort("2026-11-30")).toBe("30 Nov 2026");
    expect(monthYear("2026-11-30")).toBe("November 2026");
  });

  it("shows times in WIB with a period, whatever zone the instant was written in", () => {
    expect(timeWib("2026-11-30T00:30:00Z")).toBe("07.30 WIB");
    expect(timeWib("2026-11-30T07:30:00+07:00")).toBe("07.30 WIB");
    expect(timeWib("2026-11-30T17:05:00Z")).toBe("00.05 WIB");
  });

  it("takes today's date in Sawahlunto, not UTC's", () => {
    // 20:00 UTC on the 29th is already 03:00 on the 30th in WIB.
    expect(todayWib(new Date("2026-11-29T20:00:00Z"))).toBe("2026-11-30");
  });

  it("groups numbers, money, percentages and NIPs", () => {
    expect(number(1500000)).toBe("1.500.000");
    expect(money(1500000)).toBe("Rp1.500.000");
    expect(percent(87.5)).toBe("87,5%");
    expect(nip("198303252011032001")).toBe("19830325 201103 2 001");
    expect(nip("123")).toBe("123");
  });

  it("estimates working days Monday to Friday, holidays left out", () => {
    // Friday 27 Nov – Tuesday 1 Dec 2026: Fri, Mon, Tue.
    expect(weekdaysBetween("2026-11-27", "2026-12-01")).toBe(3);
    expect(weekdaysBetween("2026-11-27", "2026-12-01", ["2026-11-30"])).toBe(2);
    expect(weekdaysBetween("2026-11-28", "2026-11-29")).toBe(0);
  });
});
