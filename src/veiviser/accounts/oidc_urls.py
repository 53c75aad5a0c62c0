from django.urls import path

from veiviser.accounts import oidc

urlpatterns = [
    path("<slug:provider>/login/", oidc.login, name="oidc_login"),
    path("<slug:provider>/callback/", oidc.callback, name="oidc_callback"),
]
