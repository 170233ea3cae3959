"""Validators: pure checks that decide whether a candidate is what it looks like."""
