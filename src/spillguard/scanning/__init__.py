"""The scan engine: drives sources, runs detectors on batches, aggregates findings."""
