"""Scan-level assessment from the container summaries: location traces, people counts
(per container, target and scan) and one risk per container and target."""

from __future__ import annotations

from spillguard.analysis.people import PeopleTally
from spillguard.models import Exposure, People, Risk, Trace
from spillguard.risk.model import container_risk, reach_of, target_risk
from spillguard.scanning.container import ContainerSummary


def assess(
    summaries: list[ContainerSummary], exposure_by_target: dict[str, list[Exposure]], tally: PeopleTally | None = None,
) -> tuple[list[Trace], list[People], list[Risk]]:
    """``tally``: the summaries' people already folded in (their ``people`` dropped);
    without it they are folded here."""
    traces = [s.trace for s in summaries if s.trace is not None]
    if tally is None:
        tally = PeopleTally()
        for s in summaries:
            tally.add(s.people)
    people = tally.blocks()
    by_scope = {(p.scope, p.target, p.path, p.container): p.estimate for p in people}
    risks: list[Risk] = []
    for target, exposures in exposure_by_target.items():
        reach = reach_of(exposures)
        mine = [s for s in summaries if s.row.target == target]
        container_risks = []
        for s in mine:
            n = by_scope.get(("container", target, s.row.path, s.row.container), 0)
            r = container_risk(s.row, s.findings, n, s.minors, s.trace, s.reid, reach)
            if r is not None:
                container_risks.append(r)
        if container_risks:
            risks.append(target_risk(target, container_risks, by_scope.get(("target", target, None, None), 0), reach))
            risks.extend(container_risks)
    return traces, people, risks
