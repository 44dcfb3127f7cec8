from django.urls import path

from chongdich.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list_view, name="list"),
    path("people/pick/", views.person_pick, name="pick"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
]
