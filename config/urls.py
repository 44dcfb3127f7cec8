from django.contrib import admin
from django.urls import include, path

from chongdich.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("chongdich.accounts.urls")),
    path("", include("chongdich.dashboard.urls")),
    path("", include("chongdich.geography.urls")),
    path("", include("chongdich.people.urls")),
    path("", include("chongdich.cases.urls")),
    path("", include("chongdich.imports.urls")),
    path("", include("chongdich.monitoring.urls")),
    path("", include("chongdich.testing.urls")),
    path("", include("chongdich.quarantine.urls")),
    path("", include("chongdich.notifications.urls")),
    path("", include("chongdich.command.urls")),
    path("", include("chongdich.command.urls_scorecards")),
    path("", include("chongdich.vaccination.urls")),
    path("", include("chongdich.risk.urls")),
    path("", include("chongdich.zones.urls")),
    path("", include("chongdich.venues.urls")),
    path("", include("chongdich.response.urls")),
]
