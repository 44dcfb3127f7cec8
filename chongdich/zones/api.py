"""JSON API of zones, mounted at /api/zones (chongdich/api.py)."""

from ninja import Router

router = Router(tags=["zones"])
