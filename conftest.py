"""Shared pytest fixtures for every test folder: the real stack, databases, topics, tokens."""

# The installed `gateway` package must be in sys.modules before pytest (importlib mode)
# imports gateway/tests/…: it would otherwise make the repository's gateway/ folder the
# `gateway` module, and `gateway.main` would not be found.
import gateway  # noqa: F401

pytest_plugins = ["servicekit.testing"]
