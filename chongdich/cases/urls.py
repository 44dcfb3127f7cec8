from django.urls import path

from chongdich.cases import views, views_actions, views_clusters

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list_view, name="list"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/graph/", views.case_graph, name="graph"),
    path("cases/<int:pk>/contacts/", views_actions.contact_add_view, name="contact_add"),
    path("cases/<int:pk>/status/", views_actions.status_record, name="status"),
    path("cases/<int:pk>/discard/", views_actions.discard, name="discard"),
    path("cases/<int:pk>/link/", views_actions.link, name="link"),
    path("clusters/", views_clusters.cluster_list_view, name="clusters"),
    path("clusters/pick/", views_clusters.cluster_pick, name="cluster_pick"),
    path("clusters/<int:pk>/", views_clusters.cluster_detail, name="cluster"),
]
