"""Roles and what each may do. Reads are scoped by unit for every role; this table is about writes."""

from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"  # committee leader (Trưởng/Phó ban chỉ đạo)
    EPIDEMIOLOGIST = "epidemiologist"  # CDC epidemiologist (cán bộ dịch tễ)
    OFFICER = "officer"  # district / commune officer (cán bộ y tế, cán bộ xã)
    TRACER = "tracer"  # contact tracer, community team (truy vết, tổ COVID cộng đồng)
    VIEWER = "viewer"  # read only (xem)
    LAB = "lab"  # laboratory staff (phòng xét nghiệm): samples and results
    FACILITY = "facility"  # quarantine / treatment facility staff (cán bộ cơ sở cách ly)
    SECRETARY = "secretary"  # committee secretariat (thư ký, văn phòng BCĐ): documents and tasks


CAPABILITIES: dict[str, frozenset[Role]] = {
    "register_person": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    "edit_person": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    "register_case": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "update_case": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "discard_case": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    "add_contact": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    "manage_clusters": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    "edit_units": frozenset({Role.LEADER, Role.OFFICER}),
}


def role_can(role: str, capability: str) -> bool:
    try:
        return Role(role) in CAPABILITIES[capability]
    except (ValueError, KeyError):
        return False
