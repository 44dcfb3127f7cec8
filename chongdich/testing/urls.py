from django.urls import path

from chongdich.testing import views, views_campaigns, views_proposals

app_name = "testing"
urlpatterns = [
    path("testing/", views.home, name="home"),
    path("testing/take/", views.take, name="take"),
    path("testing/take/pick/", views.pick, name="pick"),
    path("testing/take/chosen/<int:person_id>/", views.chosen, name="chosen"),
    path("testing/samples/", views.sample_list, name="samples"),
    path("testing/samples/<int:pk>/", views.sample_detail, name="sample"),
    path("testing/pools/<int:pk>/", views.pool_detail, name="pool"),
    path("testing/results/new/", views.result_new, name="result_new"),
    path("testing/results/quick/", views.result_quick, name="result_quick"),
    path("testing/worklist/", views.worklist, name="worklist"),
    path("testing/retests/", views.retests, name="retests"),
    path("testing/people/<int:person_id>/", views.person_samples, name="person"),
    path("testing/proposals/", views_proposals.proposal_list, name="proposals"),
    path("testing/proposals/<int:pk>/confirm/", views_proposals.proposal_confirm, name="proposal_confirm"),
    path("testing/proposals/<int:pk>/dismiss/", views_proposals.proposal_dismiss, name="proposal_dismiss"),
    path("testing/campaigns/", views_campaigns.campaign_list, name="campaigns"),
    path("testing/campaigns/new/", views_campaigns.campaign_new, name="campaign_new"),
    path("testing/campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
    path("testing/campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("testing/campaigns/<int:pk>/members/", views_campaigns.campaign_members_add, name="campaign_members"),
    path("testing/laboratories/", views_campaigns.laboratories, name="laboratories"),
]
