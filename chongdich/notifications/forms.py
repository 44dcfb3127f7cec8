from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.notifications import domain
from chongdich.notifications.models import Channel
from chongdich.notifications.selectors import Preferences


def choice_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event kind and channel, and the account's webhook."""

    webhook_url = forms.URLField(
        label=_("Địa chỉ webhook"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Cổng SMS hoặc nhóm chat nhận yêu cầu POST dạng JSON."),
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )
    webhook_secret = forms.CharField(
        label=_("Khoá ký (HMAC)"), required=False, max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Để trống: giữ nguyên khoá hiện có. Chữ ký gửi trong tiêu đề X-ChongDich-Signature."),
    )
    clear_secret = forms.BooleanField(label=_("Xoá khoá ký"), required=False)

    def __init__(self, *args, preferences: Preferences, **kwargs):
        initial = {"webhook_url": preferences.webhook_url}
        for row in preferences.rows:
            for channel, on in row.channels.items():
                initial[choice_name(row.kind.code, channel)] = on
        super().__init__(*args, initial=initial, **kwargs)
        self.preferences = preferences
        for row in preferences.rows:
            for channel in domain.CHANNELS:
                label = f"{row.kind.label} — {Channel(channel).label}"
                self.fields[choice_name(row.kind.code, channel)] = forms.BooleanField(
                    required=False, label=label, widget=forms.CheckboxInput(attrs={"aria-label": label}))

    def table(self):
        """Rows for the template: (event kind, [bound checkbox per channel])."""
        return [(row.kind, [self[choice_name(row.kind.code, c)] for c in domain.CHANNELS])
                for row in self.preferences.rows]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        choices = {(row.kind.code, c): data[choice_name(row.kind.code, c)]
                   for row in self.preferences.rows for c in domain.CHANNELS}
        secret = "" if data["clear_secret"] else (data["webhook_secret"] or None)
        return {"choices": choices, "webhook_url": data["webhook_url"], "webhook_secret": secret}
