from django.urls import path

from chongdich.quarantine import views, views_placements

app_name = "quarantine"
urlpatterns = [
    path("quarantine/", views.board, name="board"),
    path("quarantine/facilities/new/", views.facility_new, name="facility_new"),
    path("quarantine/facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("quarantine/facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("quarantine/facilities/<int:pk>/close/", views.facility_close, name="facility_close"),
    path("quarantine/rules/", views.rule_sets, name="rules"),
    path("quarantine/admit/", views_placements.admit, name="admit"),
    path("quarantine/admit/preview/", views_placements.admit_preview, name="admit_preview"),
    path("quarantine/placements/", views_placements.placement_list_view, name="placements"),
    path("quarantine/placements/<int:pk>/", views_placements.placement_detail, name="placement"),
    path("quarantine/placements/<int:pk>/transfer/", views_placements.transfer, name="transfer"),
    path("quarantine/placements/<int:pk>/release/", views_placements.release, name="release"),
    path("quarantine/due/", views_placements.due_tests, name="due"),
    path("quarantine/releases/", views_placements.releases_due, name="releases"),
]
