"""Test-wide settings: a fixed secret, and no reading of the developer's var/ database."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
