from django.urls import path

from chongdich.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/deliveries/", views.deliveries, name="deliveries"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
]
