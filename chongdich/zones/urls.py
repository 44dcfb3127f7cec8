from django.urls import path

from chongdich.zones import views

app_name = "zones"
urlpatterns = [
    path("map/", views.officer_map, name="map"),
    path("map/areas/", views.area_list_view, name="areas"),
    path("map/areas/new/", views.area_new, name="area_new"),
    path("map/areas/<int:pk>/", views.area_detail, name="area"),
    path("map/areas/<int:pk>/extend/", views.area_extend, name="area_extend"),
    path("map/areas/<int:pk>/lift/", views.area_lift, name="area_lift"),
    path("map/zones/", views.designations, name="designations"),
    path("public/levels/", views.public_levels, name="public_levels"),
]
