from servicekit.tracing import new_traceparent, parse_traceparent


def test_valid_traceparent_round_trips():
    value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    parsed = parse_traceparent(value)
    assert parsed is not None and str(parsed) == value


def test_child_keeps_the_trace_and_changes_the_span():
    parent = new_traceparent()
    child = parent.child()
    assert child.trace_id == parent.trace_id and child.span_id != parent.span_id


def test_malformed_or_all_zero_headers_count_as_absent():
    for value in (
        None,
        "",
        "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    ):
        assert parse_traceparent(value) is None, value
