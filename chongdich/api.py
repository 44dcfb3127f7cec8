"""The JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Every operation needs a signed-in account (bearer token from POST /api/auth/token, or the
browser session with its CSRF token), except the token exchange itself. Errors are JSON:
{"error", "message", "field"} (see chongdich.core.api_support).
"""

from ninja import NinjaAPI

from chongdich.accounts.api import router as accounts_router
from chongdich.cases.api import cases_router, clusters_router, contacts_router
from chongdich.core.api_support import API_AUTH, install_error_handlers
from chongdich.geography.api import router as units_router
from chongdich.people.api import router as persons_router

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
