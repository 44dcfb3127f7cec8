from django.urls import path

from chongdich.response import views

app_name = "response"
urlpatterns = [
    path("responses/", views.board, name="board"),
    path("responses/compliance/", views.compliance, name="compliance"),
    path("responses/case/<int:case_id>/", views.for_case, name="for_case"),
    path("responses/<int:pk>/", views.detail, name="detail"),
    path("responses/<int:pk>/stages/<str:kind>/sign-off/", views.sign_off, name="sign_off"),
    path("responses/<int:pk>/disinfections/", views.disinfection, name="disinfection"),
]
