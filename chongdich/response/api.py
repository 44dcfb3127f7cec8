"""JSON API of response, mounted at /api/responses (chongdich/api.py)."""

from ninja import Router

router = Router(tags=["response"])
