"""Login and logout: Django's auth views with our templates."""

from django.contrib.auth import views as auth_views

login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout_view = auth_views.LogoutView.as_view()
