"""The JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Chống Dịch API", version="1", urls_namespace="api")
