"""JSON API of vaccination, mounted at /api/vaccination (chongdich/api.py)."""

from ninja import Router

router = Router(tags=["vaccination"])
