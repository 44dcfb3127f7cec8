from django.urls import path

from chongdich.monitoring import views, views_manage, views_station

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.home, name="home"),
    path("monitoring/people/", views.people, name="people"),
    path("monitoring/people/<int:person_id>/", views.person_page, name="person"),
    path("monitoring/people/<int:person_id>/check/", views.person_check, name="person_check"),
    path("monitoring/people/<int:person_id>/link/", views.link_issue, name="link_issue"),
    path("monitoring/teams/new/", views_manage.team_create, name="team_create"),
    path("monitoring/teams/<int:pk>/", views.team_today, name="team"),
    path("monitoring/teams/<int:pk>/check/<int:person_id>/", views.team_check, name="team_check"),
    path("monitoring/teams/<int:pk>/manage/", views_manage.team_manage, name="team_manage"),
    path("monitoring/teams/<int:pk>/edit/", views_manage.team_edit, name="team_edit"),
    path("monitoring/teams/<int:pk>/members/", views_manage.member_add, name="member_add"),
    path("monitoring/teams/<int:pk>/members/<int:member_id>/", views_manage.member_change, name="member_change"),
    path("monitoring/teams/<int:pk>/households/", views_manage.assign, name="assign"),
    path("monitoring/teams/<int:pk>/households/<int:household_id>/remove/", views_manage.unassign,
         name="unassign"),
    path("monitoring/households/", views_manage.households, name="households"),
    path("monitoring/households/new/", views_manage.household_create, name="household_create"),
    path("monitoring/households/<int:pk>/", views_manage.household_page, name="household"),
    path("monitoring/households/<int:pk>/edit/", views_manage.household_edit, name="household_edit"),
    path("monitoring/households/<int:pk>/members/", views_manage.household_member_add, name="member_add_person"),
    path("monitoring/households/<int:pk>/members/<int:person_id>/", views_manage.household_member_change,
         name="household_member_change"),
    path("monitoring/escalations/", views_station.escalations, name="escalations"),
    path("monitoring/escalations/<int:pk>/resolve/", views_station.resolve, name="resolve"),
    # The self-report link sent by SMS: short, no account.
    path("r/<str:token>/", views.self_report, name="self_report"),
]
