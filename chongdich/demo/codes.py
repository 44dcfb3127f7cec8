"""Integer codes the generator uses in its arrays, and the model values they stand for."""

SETTINGS = ("household", "workplace", "venue", "transport", "other")  # cases.ContactSetting
HOUSEHOLD, WORKPLACE, VENUE, TRANSPORT, OTHER = range(5)
IMPORTED = -1  # setting of an imported case: infected outside the province

DETECTIONS = ("community", "quarantine", "symptoms", "imported")  # cases.Detection
COMMUNITY, QUARANTINE, SYMPTOMS, DETECTED_IMPORTED = range(4)

STATUSES = ("home_care", "quarantine_facility", "hospital_t1", "hospital_t2", "hospital_t3",
            "recovered", "died")  # cases.CaseStatus
HOME, FACILITY, TIER1, TIER2, TIER3, RECOVERED, DIED = range(7)
