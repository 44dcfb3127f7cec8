"""A test case for the JSON API: JSON requests as a persona (browser session) or with a token."""

from __future__ import annotations

import json

from django.test import TestCase

from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas


class ApiTestCase(TestCase):
    """Geography and personas (see core.testing), time frozen on 20 May 2021."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def as_user(self, persona: str):
        self.client.force_login(self.users[persona])
        return self

    def get(self, url: str, **params):
        return self.client.get(url, params)

    def post(self, url: str, body: dict, **headers):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json", headers=headers)

    def patch(self, url: str, body: dict, **headers):
        return self.client.patch(url, json.dumps(body, default=str), content_type="application/json", headers=headers)

    def assertStatus(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content.decode()[:500])
        return response.json()
