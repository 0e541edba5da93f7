from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "desk"
urlpatterns: list[URLPattern | URLResolver] = [
    path("desk/", views.index, name="index"),
    path("desk/<slug:slug>/", views.home, name="home"),
    path("desk/<slug:slug>/today/", views.booking_list, name="list"),
    path("desk/<slug:slug>/counts/", views.counts, name="counts"),
    path("desk/<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("desk/<slug:slug>/check-out/", views.check_out, name="check_out"),
    path("desk/<slug:slug>/find/", views.lookup, name="lookup"),
    path("desk/<slug:slug>/walk-in/", views.walk_in, name="walk_in"),
    path("desk/<slug:slug>/bookings/<str:reference>/", views.booking_detail, name="booking"),
    path("desk/<slug:slug>/bookings/<str:reference>/pay/", views.pay, name="pay"),
    path("desk/<slug:slug>/receipts/<int:payment_id>/", views.receipt, name="receipt"),
    path("desk/<slug:slug>/log/", views.log, name="log"),
]
