from django.urls import path

from chongdich.geography import views

app_name = "geography"
urlpatterns = [
    path("units/", views.unit_home, name="home"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("units/<str:code>/villages/", views.village_add, name="village_add"),
]
