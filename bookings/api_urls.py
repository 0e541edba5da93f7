from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("centres/<str:key>/availability/", api.AvailabilityView.as_view(), name="api-centre-availability"),
    path("bookings/", api.BookingListCreateView.as_view(), name="api-bookings"),
    path("bookings/<str:key>/", api.BookingDetailView.as_view(), name="api-booking"),
    path("bookings/<str:key>/cancel/", api.BookingCancelView.as_view(), name="api-booking-cancel"),
]
