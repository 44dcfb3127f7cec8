from django.urls import path

from chongdich.venues import views, views_public

app_name = "venues"
urlpatterns = [
    path("venues/", views.venue_list, name="list"),
    path("venues/new/", views.venue_new, name="new"),
    path("venues/<int:pk>/", views.venue_detail, name="detail"),
    path("venues/<int:pk>/poster/", views.venue_poster, name="poster"),
    path("venues/<int:pk>/qr.png", views.venue_qr_png, name="qr_png"),
    path("venues/<int:pk>/poster.pdf", views.venue_poster_pdf, name="poster_pdf"),
    path("venues/proposals/", views.queue, name="queue"),
    path("venues/proposals/decide/", views.decide, name="decide"),
    path("venues/c/<str:code>/", views_public.checkin, name="checkin"),
]
