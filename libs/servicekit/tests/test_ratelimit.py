"""The sliding-window limiter: a limit per key, a wait that ends, no count for refusals."""

from servicekit.ratelimit import RateLimiter, too_many


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_per_key_and_the_wait_until_the_oldest_hit_leaves_the_window():
    t = FakeTime()
    limiter = RateLimiter(2, 60.0, clock=t)
    assert limiter.retry_after("a") is None
    t.now += 10
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") == 60.0 - 10
    assert limiter.retry_after("b") is None  # another client
    t.now += 50  # the first hit leaves the window
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") is not None


def test_peek_counts_nothing():
    t = FakeTime()
    limiter = RateLimiter(1, 10.0, clock=t)
    assert limiter.peek("a") is None
    assert limiter.peek("a") is None
    assert limiter.retry_after("a") is None
    assert limiter.peek("a") == 10.0


def test_too_many_is_a_429_with_whole_seconds():
    problem = too_many(0.2)
    assert problem.status == 429 and problem.code == "rate_limited"
    assert problem.headers == {"Retry-After": "1"}
