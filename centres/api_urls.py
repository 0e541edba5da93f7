from django.urls import URLPattern, URLResolver, path

from centres import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("centres/", api.CentreListView.as_view(), name="api-centres-list"),
    path("centres/<str:key>/", api.CentreDetailView.as_view(), name="api-centres-detail"),
    path("centres/<str:key>/hours/", api.CentreHoursView.as_view(), name="api-centres-hours"),
    path("centres/<str:key>/spaces/", api.CentreSpacesView.as_view(), name="api-centres-spaces"),
    path("centres/<str:key>/spaces/<int:space_id>/", api.CentreSpaceView.as_view(), name="api-centres-space"),
    path("centres/<str:key>/rates/", api.CentreRatesView.as_view(), name="api-centres-rates"),
    path("centres/<str:key>/rules/", api.CentreRulesView.as_view(), name="api-centres-rules"),
    path("centres/<str:key>/closures/", api.CentreClosuresView.as_view(), name="api-centres-closures"),
    path(
        "centres/<str:key>/closures/<int:closure_id>/",
        api.CentreClosureView.as_view(),
        name="api-centres-closure",
    ),
]
