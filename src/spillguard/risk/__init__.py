"""Risk: how bad a container or a target is, as reach x sensitivity x people x
re-identifiability (see ``spillguard.risk.model``)."""

from spillguard.risk.model import container_risk, reach_of, target_risk

__all__ = ["container_risk", "reach_of", "target_risk"]
