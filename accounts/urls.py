from django.urls import path

from . import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/security/", views.security, name="account_security"),
    path("accounts/security/tokens/<str:key>/revoke/", views.token_revoke, name="account_token_revoke"),
    path(
        "accounts/security/log-out-everywhere/", views.log_out_everywhere, name="account_log_out_everywhere"
    ),
    path("accounts/language/", views.language_settings, name="account_language"),
]
