"""JSON API of venues, mounted at /api/venues (chongdich/api.py)."""

from ninja import Router

router = Router(tags=["venues"])
