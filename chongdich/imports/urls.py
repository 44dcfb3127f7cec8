from django.urls import path

from chongdich.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.job_list_view, name="list"),
    path("imports/new/", views.job_new, name="new"),
    path("imports/<int:pk>/", views.job_detail, name="detail"),
    path("imports/<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("imports/<int:pk>/restart/", views.job_restart, name="restart"),
    path("imports/<int:pk>/errors.csv", views.errors_csv, name="errors_csv"),
    path("imports/<int:pk>/errors.xlsx", views.errors_xlsx, name="errors_xlsx"),
    path("imports/mappings/", views.mapping_list_view, name="mappings"),
    path("imports/mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
]
