"""Shared pytest fixtures for every test folder: the real stack, databases, topics, tokens."""

pytest_plugins = ["servicekit.testing"]
