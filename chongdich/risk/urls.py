from django.urls import path

from chongdich.risk import views

app_name = "risk"
urlpatterns = [
    path("risk/", views.levels, name="levels"),
    path("risk/run/", views.run, name="run"),
    path("risk/rules/", views.rule_sets, name="rules"),
    path("risk/units/<str:code>/", views.unit_page, name="unit"),
    path("risk/units/<str:code>/history/", views.unit_history, name="history"),
    path("risk/units/<str:code>/whatif/", views.whatif, name="whatif"),
    path("risk/units/<str:code>/decide/", views.decide, name="decide"),
    path("risk/units/<str:code>/capacity/", views.capacity, name="capacity"),
]
