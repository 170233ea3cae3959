from spillguard.models import Coverage


def test_when_a_row_is_marked_then_status_only_gets_worse_and_reasons_accumulate():
    row = Coverage("t", "p", None)
    row.mark("partial", "sampled:n=5,method=head")
    row.mark("partial", "timeout")
    row.mark("partial", "timeout")
    assert (row.status, row.reason) == ("partial", "sampled:n=5,method=head; timeout")
    row.mark("complete", None)
    assert row.status == "partial"
    row.mark("error", "connection_lost")
    assert (row.status, row.reason) == ("error", "sampled:n=5,method=head; timeout; connection_lost")
