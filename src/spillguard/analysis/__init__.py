"""Container-level analysis over a value-free record sample (keyed digests and times
only): location traces, re-identification risk from quasi-identifiers, distinct people.
Everything returned is a count, a share or a field name, never a value or a digest."""
