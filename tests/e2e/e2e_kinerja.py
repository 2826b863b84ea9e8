"""kinerja's flows as the HR portal drives them, through the gateway only: an SKP drafted,
submitted and agreed; the annual appraisal opened, self-assessed, submitted and finalized."""

from __future__ import annotations

from typing import Any

from e2e_testkit import Portal

VALUES = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


def me(nip: str) -> tuple[str, ...]:
    return (nip, "pegawai")


def rhk(title: str = "Layanan administrasi kepegawaian") -> dict[str, Any]:
    return {
        "kind": "utama",
        "title": title,
        "indicators": [
            {"aspect": "kuantitas", "description": "Berkas selesai", "target": "200 berkas"},
            {"aspect": "waktu", "description": "Selesai", "target": "12 bulan"},
        ],
    }


def rating(hasil: str, perilaku: str = "sesuai_ekspektasi") -> dict[str, Any]:
    return {
        "rating_hasil_kerja": hasil,
        "perilaku": [{"value": v, "rating": perilaku, "note": "Konsisten."} for v in VALUES],
    }


async def drafted_skp(portal: Portal, nip: str, year: int) -> dict[str, Any]:
    """A draft SKP, once kinerja's replica knows the employee (it follows pegawai's topic)."""
    created = await portal.until(
        "POST",
        "/api/skp",
        lambda r: r.status_code != 409 or r.json().get("code") != "employee_unknown",
        f"kinerja knows {nip}",
        body={"year": year, "rhk": [rhk()]},
        as_=me(nip),
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/api/skp/{created.json()['id']}"
    result: dict[str, Any] = created.json()
    return result


async def submit(portal: Portal, path: str, nip: str) -> dict[str, Any]:
    response = await portal.call("POST", path, as_=me(nip))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def in_inbox(portal: Portal, nip: str, kind: str, key: str, value: str) -> dict[str, Any]:
    """The item waiting in `nip`'s inbox (SKPs to agree and appraisals to rate, both from the
    read model)."""
    inbox = await portal.until(
        "GET",
        "/api/inbox",
        lambda r: any(i["kind"] == kind and i.get(key) == value for i in r.json()["items"]),
        f"the {kind} in {nip}'s inbox",
        as_=me(nip),
    )
    item: dict[str, Any] = next(
        i for i in inbox.json()["items"] if i["kind"] == kind and i.get(key) == value
    )
    return item


async def agreed_skp(portal: Portal, nip: str, rater: str, year: int) -> dict[str, Any]:
    skp = await drafted_skp(portal, nip, year)
    await submit(portal, f"/api/skp/{skp['id']}/submit", nip)
    item = await in_inbox(portal, rater, "skp", "skp_id", skp["id"])
    approved = await portal.call("POST", item["action"], as_=me(rater))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    result: dict[str, Any] = approved.json()
    return result


async def annual_appraisal(
    portal: Portal, skp: dict[str, Any], rater: str, hasil: str
) -> dict[str, Any]:
    """The year's annual appraisal: opened and self-assessed by the employee, submitted,
    then — from the rater's inbox — finalized with the given hasil kerja rating."""
    nip = skp["nip"]
    opened = await portal.call(
        "POST",
        "/api/appraisals",
        {"skp_id": skp["id"], "period": {"kind": "annual", "number": None}},
        as_=me(nip),
    )
    assert opened.status_code == 201, opened.text
    appraisal_id = opened.json()["id"]
    results = [
        {
            "rhk_id": r["id"],
            "realisasi": "214 berkas selesai",
            "evidence_links": ["https://drive.sawahlunto.go.id/bukti/skp"],
        }
        for r in skp["rhk"]
    ]
    assessed = await portal.call(
        "PUT",
        f"/api/appraisals/{appraisal_id}/self-assessment",
        {"results": results},
        as_=me(nip),
    )
    assert assessed.status_code == 200, assessed.text
    await submit(portal, f"/api/appraisals/{appraisal_id}/submit", nip)
    item = await in_inbox(portal, rater, "appraisal", "appraisal_id", appraisal_id)
    final = await portal.call("POST", item["action"], rating(hasil), as_=me(rater))
    assert final.status_code == 200, final.text
    result: dict[str, Any] = final.json()
    return result
