import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from chongdich.accounts.domain import role_can


class User(AbstractUser):
    """An account belongs to a unit (province, district or commune) and has a role."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo Ban chỉ đạo")
        EPIDEMIOLOGIST = "epidemiologist", _("Cán bộ dịch tễ (CDC)")
        OFFICER = "officer", _("Cán bộ huyện/xã")
        TRACER = "tracer", _("Truy vết / Tổ COVID cộng đồng")
        VIEWER = "viewer", _("Chỉ xem")
        LAB = "lab", _("Phòng xét nghiệm")
        FACILITY = "facility", _("Cán bộ cơ sở cách ly / điều trị")
        SECRETARY = "secretary", _("Thư ký / Văn phòng Ban chỉ đạo")

    full_name = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey(
        "geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts",
        help_text="Đơn vị của tài khoản; để trống chỉ cho cấp quốc gia/quản trị.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    is_national = models.BooleanField(default=False, help_text="Xem toàn quốc (không gắn đơn vị).")

    def can(self, capability: str) -> bool:
        return self.is_active and (self.is_superuser or role_can(self.role, capability))

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for machine clients. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
