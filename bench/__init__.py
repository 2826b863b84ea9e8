"""Benchmarks of the suite: figures printed beside the anchors they are compared to (not tests)."""
