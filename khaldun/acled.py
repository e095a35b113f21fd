"""ACLED event typing of a claim: ACLED's six event types and their sub-event types.

Rules (documented here so an analyst can check a label): a protest is "Protests" unless it is a riot;
an assault by a crowd is "Riots"; an assault with aircraft, drones, artillery, missiles or explosives
(by mode or materiel) is "Explosions/Remote violence"; abduction, sexual violence, torture, beating,
massacre and execution, and any assault whose targets are all civilians, are "Violence against
civilians"; other assaults are "Battles"; coercion, mobilization, retreats, concessions, agreements,
aid, sanctions and cooperation are "Strategic developments". Sub-event types follow ACLED's codebook
names for the same cues. Other event types (talks, statements, accusations ...) have no ACLED type.
"""

from __future__ import annotations

import re
from typing import Any

ACLED_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
REMOTE_MODE = re.compile(
    r"aer|air|drone|heavy|shell|artiller|missile|rocket|mortar|bomb|ied|mine|grenade|explos|suicide"
)
CROWD = re.compile(r"\b(rioters?|mobs?|protesters?|demonstrators?|crowds?|villagers)\b", re.IGNORECASE)
REMOTE_MATERIEL = {"aircraft", "uav", "artillery", "missiles", "explosives"}
VAC_MODE = re.compile(r"abduct|kidnap|sexual|rape|tortur|beat|massacre|execut")
CIVILIAN_SECTORS = {"CVL", "REF", "JRN", "MED", "EDU", "LAB", "BUS", "REL", "HLH", "AGR", "NGO"}
STRATEGIC = {"MOBILIZE", "RETREAT", "CONCEDE", "AGREE", "AID", "SANCTION", "COOPERATE"}


def acled_type(claim: Any) -> str | None:
    """ACLED event_type of anything with `event`, `actors`, `recipients`, `materiel` (a Claim or a
    Cluster); None when no ACLED type fits."""
    t = claim.event.type
    mode = (claim.event.mode or "").lower()
    if t == "PROTEST":
        return "Riots" if "riot" in mode or "violent" in mode else "Protests"
    if t == "ASSAULT":
        if any(CROWD.search(a.text) for a in claim.actors):
            return "Riots"
        if mode == "destroy":
            return "Strategic developments"
        if REMOTE_MODE.search(mode) or any(m.category in REMOTE_MATERIEL for m in claim.materiel):
            return "Explosions/Remote violence"
        if VAC_MODE.search(mode):
            return "Violence against civilians"
        if claim.recipients and all((r.sector or "") in CIVILIAN_SECTORS for r in claim.recipients):
            return "Violence against civilians"
        return "Battles"
    if t == "COERCE":
        return "Violence against civilians" if VAC_MODE.search(mode) else "Strategic developments"
    if t in STRATEGIC:
        return "Strategic developments"
    return None


def acled_sub_type(claim: Any, event_type: str | None = None) -> str | None:
    """ACLED sub_event_type for the claim's ACLED event type."""
    event_type = event_type if event_type is not None else acled_type(claim)
    if event_type is None:
        return None
    t, mode = claim.event.type, (claim.event.mode or "").lower()
    cats = {m.category for m in claim.materiel}
    if event_type == "Explosions/Remote violence":
        if "suicide" in mode:
            return "Suicide bomb"
        if "aer" in mode or "air" in mode or "drone" in mode or cats & {"aircraft", "uav"}:
            return "Air/drone strike"
        if cats & {"explosives"} or "ied" in mode or "bomb" in mode or "explos" in mode:
            return "Remote explosive/landmine/IED"
        return "Shelling/artillery/missile attack"
    if event_type == "Battles":
        return "Armed clash"
    if event_type == "Protests":
        return "Peaceful protest"
    if event_type == "Riots":
        return "Violent demonstration" if t == "PROTEST" else "Mob violence"
    if event_type == "Violence against civilians":
        if "abduct" in mode or "kidnap" in mode:
            return "Abduction/forced disappearance"
        if "sexual" in mode or "rape" in mode:
            return "Sexual violence"
        return "Attack"
    if t == "AGREE":
        return "Agreement"
    if t in ("MOBILIZE", "RETREAT"):
        return "Change to group/activity"
    if t == "COERCE" and "arrest" in mode:
        return "Arrests"
    if mode == "destroy" or (t == "COERCE" and "seize" in mode):
        return "Looting/property destruction"
    return "Other"
