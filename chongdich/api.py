"""The JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Every operation needs a signed-in account (bearer token from POST /api/auth/token, or the
browser session with its CSRF token), except the token exchange itself. Errors are JSON:
{"error", "message", "field"} (see chongdich.core.api_support).
"""

from ninja import NinjaAPI

from chongdich.accounts.api import router as accounts_router
from chongdich.cases.api import cases_router, clusters_router, contacts_router
from chongdich.command.api import router as command_router
from chongdich.command.api_scorecards import router as scorecards_router
from chongdich.core.api_support import API_AUTH, install_error_handlers
from chongdich.geography.api import router as units_router
from chongdich.imports.api import router as imports_router
from chongdich.monitoring.api import router as monitoring_router
from chongdich.notifications.api import router as notifications_router
from chongdich.people.api import router as persons_router
from chongdich.quarantine.api import facilities_router, placements_router, rule_sets_router
from chongdich.response.api import router as response_router
from chongdich.risk.api import router as risk_router
from chongdich.testing.api import (
    campaigns_router,
    laboratories_router,
    pools_router,
    proposals_router,
    results_router,
    samples_router,
)
from chongdich.vaccination.api import router as vaccination_router
from chongdich.venues.api import router as venues_router
from chongdich.zones.api import router as zones_router

api = NinjaAPI(
    title="Chống Dịch API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    description=__doc__,
)
install_error_handlers(api)

api.add_router("", accounts_router)
api.add_router("/units", units_router)
api.add_router("/persons", persons_router)
api.add_router("/cases", cases_router)
api.add_router("/contacts", contacts_router)
api.add_router("/clusters", clusters_router)
api.add_router("/samples", samples_router)
api.add_router("/pools", pools_router)
api.add_router("/results", results_router)
api.add_router("/case-proposals", proposals_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/laboratories", laboratories_router)
api.add_router("/notifications", notifications_router)
api.add_router("/command", command_router)
api.add_router("/scorecards", scorecards_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/imports", imports_router)
api.add_router("/facilities", facilities_router)
api.add_router("/placements", placements_router)
api.add_router("/quarantine-rule-sets", rule_sets_router)
api.add_router("/vaccination", vaccination_router)
api.add_router("/risk", risk_router)
api.add_router("/zones", zones_router)
api.add_router("/venues", venues_router)
api.add_router("/responses", response_router)
