from django.urls import path

from chongdich.accounts import views

# No namespace: settings.LOGIN_URL and LOGOUT_REDIRECT_URL name the login page "login".
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
]
