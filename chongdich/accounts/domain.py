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
    # Command (chongdich.command): documents, agencies, tasks, inspections
    "issue_documents": frozenset({Role.LEADER, Role.SECRETARY}),
    "verify_tasks": frozenset({Role.LEADER}),
    "report_tasks": frozenset(set(Role) - {Role.VIEWER}),  # and a member of the assignee agency
    "manage_agencies": frozenset({Role.LEADER, Role.SECRETARY}),
    "manage_inspections": frozenset({Role.LEADER, Role.SECRETARY}),
    "record_findings": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.SECRETARY}),
    # Testing (chongdich.testing): samples, pools, results, case proposals, campaigns
    "take_sample": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER, Role.LAB,
                              Role.FACILITY}),  # facility staff take the scheduled quarantine tests
    "record_result": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.LAB}),
    "confirm_case_proposal": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "manage_campaigns": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "manage_laboratories": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    # Quarantine (chongdich.quarantine): facilities, placements, release overrides, rule sets;
    # the facility role only in facilities of its unit, never at home (see quarantine.services)
    "manage_facilities": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "place_person": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.FACILITY}),
    "release_override": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    "manage_rule_sets": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    # Home monitoring (chongdich.monitoring): daily checks, community teams and households,
    # escalations handled by the commune health station
    "record_check": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    "manage_teams": frozenset({Role.LEADER, Role.OFFICER}),
    "manage_households": frozenset({Role.LEADER, Role.OFFICER, Role.TRACER}),
    "resolve_escalation": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    # Bulk imports (chongdich.imports): start imports and keep column mappings; each kind also
    # needs what it stores (register_person, register_case, record_result)
    "import_data": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.LAB}),
    # Zones (chongdich.zones): lockdown areas (record, extend, lift) and colour zone designations
    "manage_zones": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    # Vaccination (chongdich.vaccination): dose records (one by one, batches, imports) and the
    # aggregate coverage reports of places that only report totals
    "record_vaccination": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "report_coverage": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    # Response clock (chongdich.response): sign off a stage with a note; record disinfection
    "sign_off_response": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "record_disinfection": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    # Risk levels (chongdich.risk): confirm or override a unit's weekly level (only from the level
    # above, see risk.services), record a unit's treatment capacity, run an assessment
    "decide_levels": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    "record_capacity": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "assess_levels": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST}),
    # Venues (chongdich.venues): venues and their QR codes, check-ins (API, batches, files),
    # exposure proposals confirmed or dismissed (confirming also needs add_contact's reach)
    "manage_venues": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER}),
    "record_checkins": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
    "confirm_exposures": frozenset({Role.LEADER, Role.EPIDEMIOLOGIST, Role.OFFICER, Role.TRACER}),
}


def role_can(role: str, capability: str) -> bool:
    try:
        return Role(role) in CAPABILITIES[capability]
    except (ValueError, KeyError):
        return False
