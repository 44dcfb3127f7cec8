from django.test import TestCase

from chongdich.accounts.models import ApiToken
from chongdich.accounts.services import token_authenticate, token_create
from chongdich.core.errors import PermissionDenied
from chongdich.core.testing import make_geography, make_user


class TokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user(make_geography()["province"])

    def test_a_token_is_issued_for_the_right_password_and_stored_only_as_a_hash(self):
        key = token_create(username=self.user.username, password="pw-test-123456")
        self.assertEqual(token_authenticate(key), self.user)
        self.assertFalse(ApiToken.objects.filter(key_hash=key).exists())

    def test_a_wrong_password_gets_no_token(self):
        with self.assertRaises(PermissionDenied):
            token_create(username=self.user.username, password="wrong")

    def test_revoked_tokens_and_inactive_users_are_refused(self):
        key = token_create(username=self.user.username, password="pw-test-123456")
        ApiToken.objects.update(revoked_at="2021-01-01T00:00Z")
        self.assertIsNone(token_authenticate(key))
        ApiToken.objects.update(revoked_at=None)
        self.user.is_active = False
        self.user.save()
        self.assertIsNone(token_authenticate(key))
