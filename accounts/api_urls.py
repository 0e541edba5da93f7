from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", api.TokenView.as_view(), name="api-auth-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="api-auth-tokens"),
    path("auth/tokens/<str:key>/", api.TokenRevokeView.as_view(), name="api-auth-token-revoke"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-auth-logout"),
    path("auth/logout-everywhere/", api.LogoutEverywhereView.as_view(), name="api-auth-logout-everywhere"),
]
