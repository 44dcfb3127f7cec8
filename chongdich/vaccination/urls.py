from django.urls import path

from chongdich.vaccination import views

app_name = "vaccination"
urlpatterns = [
    path("vaccination/", views.index, name="index"),
    path("vaccination/coverage/<str:code>/", views.coverage, name="coverage"),
    path("vaccination/people/<int:pk>/", views.person_doses, name="person"),
    path("vaccination/doses/<int:pk>/delete/", views.dose_delete, name="dose_delete"),
    path("vaccination/reports/", views.reports, name="reports"),
]
