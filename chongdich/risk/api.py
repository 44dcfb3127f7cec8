"""JSON API of risk, mounted at /api/risk (chongdich/api.py)."""

from ninja import Router

router = Router(tags=["risk"])
