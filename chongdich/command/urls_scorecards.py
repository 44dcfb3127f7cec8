"""Scorecards (bảng đánh giá), included from config/urls.py beside the command app's own urls."""

from django.urls import path

from chongdich.command import views_scorecards

app_name = "scorecards"
urlpatterns = [
    path("command/scorecards/", views_scorecards.ranking, name="ranking"),
    path("command/scorecards/export.xlsx", views_scorecards.export_xlsx, name="export"),
    path("command/scorecards/<str:code>/", views_scorecards.unit_page, name="unit"),
]
