"""Dependencies of the routes: the service's clock, and the public routes' rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from servicekit.ratelimit import RateLimiter, client_key, enforce, too_many

from aspirasi.settings import AspirasiSettings


@dataclass
class Limiters:
    submissions: RateLimiter
    public: RateLimiter
    secret_failures: RateLimiter

    @classmethod
    def from_settings(cls, settings: AspirasiSettings) -> Limiters:
        return cls(
            RateLimiter(settings.submission_limit, settings.submission_window_s),
            RateLimiter(settings.public_limit, settings.public_window_s),
            RateLimiter(settings.secret_failure_limit, settings.secret_failure_window_s),
        )


async def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


Now = Annotated[datetime, Depends(_now)]


def _client(request: Request) -> str:
    settings: AspirasiSettings = request.app.state.runtime.settings
    return client_key(request, settings.trusted_proxies)


async def public_client(request: Request) -> str:
    """Every public request counts against the client's general limit."""
    client = _client(request)
    limiters: Limiters = request.app.state.limiters
    enforce(limiters.public, client)
    return client


PublicClient = Annotated[str, Depends(public_client)]


async def submitting_client(request: Request) -> str:
    client = await public_client(request)
    enforce(request.app.state.limiters.submissions, client)
    return client


SubmittingClient = Annotated[str, Depends(submitting_client)]


def check_secret_budget(limiters: Limiters, client: str) -> None:
    """A client that got the code/secret pair wrong too often waits (against guessing)."""
    wait = limiters.secret_failures.peek(client)
    if wait is not None:
        raise too_many(wait)
