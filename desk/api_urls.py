from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("desk/<int:centre_id>/check-in/", api.CheckInView.as_view(), name="desk-api-check-in"),
    path("desk/<int:centre_id>/check-out/", api.CheckOutView.as_view(), name="desk-api-check-out"),
    path("desk/<int:centre_id>/today/", api.TodayView.as_view(), name="desk-api-today"),
]
