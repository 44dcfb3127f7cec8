"""The API's front door: tokens for machines, the session for browsers, 401 for everyone else."""

from django.test import Client
from django.utils import timezone

from chongdich.accounts.models import ApiToken
from chongdich.core.tests.api_helpers import ApiTestCase

PASSWORD = "pw-test-123456"  # what core.testing.make_user gives every persona


class TokenFlowTests(ApiTestCase):
    def token_for(self, persona: str) -> str:
        body = self.assertStatus(
            self.post("/api/auth/token", {"username": self.users[persona].username, "password": PASSWORD}), 200
        )
        return body["token"]

    def test_the_right_password_gets_a_token_that_opens_the_api(self):
        token = self.token_for("commune_officer")
        body = self.assertStatus(self.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}), 200)
        self.assertEqual(body["username"], self.users["commune_officer"].username)
        self.assertEqual(body["unit_code"], self.units["commune_a1"].code)
        self.assertIn("register_case", body["capabilities"])

    def test_a_wrong_password_is_a_401_json_error(self):
        response = self.post("/api/auth/token", {"username": self.users["viewer"].username, "password": "nope"})
        body = self.assertStatus(response, 401)
        self.assertEqual(body["error"], "unauthenticated")
        self.assertTrue(body["message"])
        self.assertFalse(ApiToken.objects.exists())

    def test_an_unknown_token_is_refused_with_401(self):
        response = self.client.get("/api/me", headers={"Authorization": "Bearer not-a-real-token"})
        self.assertEqual(self.assertStatus(response, 401)["error"], "unauthenticated")

    def test_a_revoked_token_is_refused_with_401(self):
        token = self.token_for("tracer")
        ApiToken.objects.update(revoked_at=timezone.now())
        response = self.client.get("/api/persons", headers={"Authorization": f"Bearer {token}"})
        self.assertStatus(response, 401)

    def test_a_refused_token_on_a_write_is_401_not_a_csrf_error(self):
        response = Client(enforce_csrf_checks=True).post(
            "/api/clusters", "{}", content_type="application/json", headers={"Authorization": "Bearer nope"}
        )
        self.assertStatus(response, 401)

    def test_a_token_writes_without_any_csrf_token(self):
        token = self.token_for("district_epi")
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/api/clusters", {"commune": self.units["commune_a1"].code, "name": "Chợ đầu mối"},
            content_type="application/json", headers={"Authorization": f"Bearer {token}"},
        )
        self.assertEqual(self.assertStatus(response, 201)["name"], "Chợ đầu mối")


class SessionTests(ApiTestCase):
    def test_a_logged_in_browser_session_is_accepted(self):
        self.as_user("viewer")
        self.assertEqual(self.assertStatus(self.get("/api/me"), 200)["role"], "viewer")

    def test_a_session_write_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.users["district_epi"])
        response = client.post("/api/clusters", {"commune": self.units["commune_a1"].code, "name": "X"},
                               content_type="application/json")
        self.assertEqual(self.assertStatus(response, 403)["error"], "forbidden")

    def test_every_operation_but_the_token_exchange_needs_an_account(self):
        for method, url in [("GET", "/api/units"), ("GET", "/api/persons"), ("GET", "/api/cases"),
                            ("GET", "/api/contacts"), ("GET", "/api/clusters"), ("GET", "/api/me"),
                            ("POST", "/api/cases"), ("PATCH", "/api/persons/1")]:
            with self.subTest(method=method, url=url):
                response = self.client.generic(method, url, "{}", content_type="application/json")
                self.assertEqual(self.assertStatus(response, 401)["error"], "unauthenticated")


class OpenApiTests(ApiTestCase):
    def test_the_openapi_schema_lists_every_resource(self):
        schema = self.assertStatus(self.client.get("/api/openapi.json"), 200)
        self.assertEqual(schema["info"]["title"], "Chống Dịch API")
        for path in ("/api/auth/token", "/api/units", "/api/units/{code}/villages", "/api/persons",
                     "/api/persons/{person_id}", "/api/cases", "/api/cases/{case_id}/chain",
                     "/api/contacts", "/api/clusters/{cluster_id}"):
            self.assertIn(path, schema["paths"])

    def test_the_interactive_docs_are_served_without_any_cdn(self):
        response = self.client.get("/api/docs")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"/static/ninja/swagger-ui-bundle.js", response.content)
        self.assertNotIn(b"cdn", response.content.lower())

    def test_a_body_that_is_not_json_is_a_400_json_error(self):
        response = self.client.post("/api/auth/token", "{not json", content_type="application/json")
        body = self.assertStatus(response, 400)
        self.assertEqual((body["error"], body["field"]), ("bad_request", "body"))

    def test_missing_fields_are_each_named_with_their_reason(self):
        body = self.assertStatus(self.post("/api/auth/token", {}), 422)
        self.assertEqual((body["error"], body["field"]), ("invalid", "username"))
        self.assertEqual([(e["field"], e["type"]) for e in body["errors"]],
                         [("username", "missing"), ("password", "missing")])
