"""One OpenAPI document for /api: the gateway's views and the services' forwarded routes."""

from gateway.api.openapi import merge

REF = "#/components/schemas/"


def _doc(paths: dict, schemas: dict) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "x"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _op(schema: str) -> dict:
    return {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": REF + schema}}}}
        }
    }


def test_service_routes_come_under_api_and_only_those_the_gateway_forwards():
    own = _doc(
        {
            "/api/inbox": {"get": {}},
            "/health/live": {"get": {}},
            "/auth/dev-token": _op("DevTokenRequest"),
        },
        {"DevTokenRequest": {"type": "object"}},
    )
    presensi = _doc(
        {
            "/attendance/check-in": _op("CheckBody"),
            "/health/live": {"get": {}},
            "/metrics": {"get": {}},
            "/units/{code}": {"get": {}},
        },
        {"CheckBody": {"type": "object", "title": "CheckBody"}},
    )
    merged = merge(own, {"presensi": presensi})
    assert list(merged["paths"]) == ["/api/attendance/check-in", "/api/inbox", "/auth/dev-token"]
    assert merged["components"]["schemas"]["CheckBody"]["title"] == "CheckBody"
    body = merged["paths"]["/api/attendance/check-in"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"] == REF + "CheckBody"


def test_a_sub_resource_goes_with_its_owner():
    # kinerja's route under pegawai's /units is forwarded to kinerja, so the document takes
    # it from kinerja (it used to be dropped: the portal's types and the fuzz missed it).
    kinerja = _doc(
        {
            "/units/{unit_code}/organisation-predikat/{year}": {"get": {"summary": "kinerja"}},
            "/skp": {"get": {}},
        },
        {},
    )
    pegawai = _doc(
        {
            "/units/{code}": {"get": {}},
            "/units/{code}/organisation-predikat/{year}": {"get": {"summary": "pegawai"}},
        },
        {},
    )
    merged = merge(_doc({}, {}), {"kinerja": kinerja, "pegawai": pegawai})
    assert set(merged["paths"]) == {
        "/api/units/{unit_code}/organisation-predikat/{year}",
        "/api/skp",
        "/api/units/{code}",
    }
    route = merged["paths"]["/api/units/{unit_code}/organisation-predikat/{year}"]
    assert route["get"]["summary"] == "kinerja"


def test_two_services_with_different_schemas_of_one_name_keep_both():
    a = _doc({"/employees": _op("Body")}, {"Body": {"title": "pegawai's"}})
    b = _doc({"/leave-requests": _op("Body")}, {"Body": {"title": "presensi's"}})
    same = _doc({"/skp": _op("Body")}, {"Body": {"title": "pegawai's"}})
    merged = merge(_doc({}, {}), {"pegawai": a, "presensi": b, "kinerja": same})
    schemas = merged["components"]["schemas"]
    # kinerja comes first (sorted) and keeps the name; an identical schema shares it.
    assert schemas["Body"] == {"title": "pegawai's"}
    assert schemas["presensi.Body"] == {"title": "presensi's"}
    ref = merged["paths"]["/api/leave-requests"]["post"]["requestBody"]["content"]
    assert ref["application/json"]["schema"]["$ref"] == REF + "presensi.Body"
    pegawai_ref = merged["paths"]["/api/employees"]["post"]["requestBody"]["content"]
    assert pegawai_ref["application/json"]["schema"]["$ref"] == REF + "Body"
