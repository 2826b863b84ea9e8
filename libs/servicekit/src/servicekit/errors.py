"""RFC 9457 problem details with a stable machine-readable `code`.

Every error a client sees has this shape, including validation errors and the
unexpected ones, so the HR portal can show a message and act on the code.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from servicekit.db import causes, database_unavailable
from servicekit.logging import get_logger

PROBLEM_JSON = "application/problem+json"
log = get_logger(__name__)


class ProblemError(Exception):
    """Raise from a route or a domain service; becomes a problem+json response."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extra = extra


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://docs.sawahlunto.go.id/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "too_many_requests",
}


UNIQUE_VIOLATION = "23505"


def unique_violation(exc: BaseException) -> bool:
    """Whether `exc`, or what it wraps, is a unique-constraint violation (SQLSTATE 23505),
    however the driver or SQLAlchemy wrapped it."""
    return any(
        isinstance(current, asyncpg.UniqueViolationError)
        or getattr(current, "sqlstate", None) == UNIQUE_VIOLATION
        for current in causes(exc)
    )


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            headers=exc.headers,
            **exc.extra,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "field": ".".join(str(part) for part in err["loc"]),
                "code": err["type"],
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
        return problem_response(
            422,
            "validation_error",
            "Data yang dikirim tidak valid",
            "Periksa kolom yang disebut di `errors` lalu kirim ulang.",
            instance=request.url.path,
            errors=errors,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem_response(
            exc.status_code,
            code,
            str(exc.detail),
            instance=request.url.path,
            headers=dict(exc.headers or {}),
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The route template, not the path: paths carry NIPs, and logs carry no personal data.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        log.exception("unhandled error", route=route, method=request.method)
        return problem_response(
            500,
            "internal_error",
            "Terjadi kesalahan di server",
            "Tidak ada perubahan yang tersimpan. Coba lagi; bila berulang, hubungi BKPSDM.",
            instance=request.url.path,
        )

    async def on_database_error(request: Request, exc: Exception) -> JSONResponse:
        if unique_violation(exc):
            # Two requests raced to create the same thing; the loser's unit of work rolled
            # back, so it changed nothing and the answer is the same as a checked duplicate.
            return problem_response(
                409,
                "already_exists",
                "Bertentangan dengan data yang ada",
                "Data yang sama baru saja dicatat oleh permintaan lain; muat ulang lalu periksa.",
                instance=request.url.path,
            )
        if not database_unavailable(exc):
            return await on_unexpected(request, exc)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        log.warning("database unavailable", route=route, error=repr(exc))
        return problem_response(
            503,
            "database_unavailable",
            "Layanan sedang tidak dapat menyimpan atau membaca data",
            "Tidak ada perubahan yang tersimpan. Coba lagi dalam beberapa detik.",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    # Every database-library error and lost connection goes through the outage check, by
    # class rather than inside the catch-all: Starlette re-raises what reaches the
    # catch-all (the server then logs a traceback), which an expected outage should not do.
    for family in (
        ConnectionError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        sqlalchemy.exc.SQLAlchemyError,
    ):
        app.add_exception_handler(family, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)
