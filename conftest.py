"""Test-wide settings: a fixed secret, and no reading of the developer's var/ database."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")


def pytest_configure(config):
    # Accounts are created in most test classes; the production hasher costs ~0.3 s per password.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
