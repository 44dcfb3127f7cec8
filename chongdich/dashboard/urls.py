from django.urls import path

from chongdich.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/tracing/", views.tracing, name="tracing"),
]
