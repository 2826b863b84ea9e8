"""Common refusals as problem details, so codes and Indonesian titles match across services."""

from __future__ import annotations

from typing import Any

from servicekit.errors import ProblemError


def not_found(what: str, key: str) -> ProblemError:
    return ProblemError(404, f"{what}_not_found", "Data tidak ditemukan", f"{key} tidak ditemukan.")


def forbidden(detail: str = "Anda tidak berwenang atas data ini.") -> ProblemError:
    return ProblemError(403, "forbidden", "Akses ditolak", detail)


def invalid(code: str, detail: str, *, field: str | None = None, **extra: Any) -> ProblemError:
    """422: the request is well-formed but breaks a rule; nothing was changed."""
    errors = [{"field": field, "code": code, "message": detail}] if field else None
    return ProblemError(
        422, code, "Permintaan tidak dapat diproses", detail, errors=errors, **extra
    )


def conflict(code: str, detail: str) -> ProblemError:
    return ProblemError(409, code, "Bertentangan dengan data yang ada", detail)


def stale(current: int) -> ProblemError:
    return ProblemError(
        412,
        "precondition_failed",
        "Data sudah diubah orang lain",
        f"Versi yang Anda kirim sudah usang (versi terkini {current}); muat ulang lalu ulangi.",
        headers={"ETag": etag(current)},
    )


def precondition_required() -> ProblemError:
    return ProblemError(
        428,
        "precondition_required",
        "Header If-Match diperlukan",
        "Kirim header If-Match berisi ETag dari pembacaan terakhir.",
    )


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int, *, required: bool) -> None:
    """Optimistic concurrency: the caller's ETag must name the current version."""
    if if_match is None:
        if required:
            raise precondition_required()
        return
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if "*" not in tags and etag(version) not in tags:
        raise stale(version)
