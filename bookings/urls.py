from django.urls import URLPattern, URLResolver, path

from . import views
from .occupancy import views as occupancy_views

app_name = "bookings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("centres/<slug:slug>/book/", views.book, name="book"),
    path("centres/<slug:slug>/book/when/", views.find, name="find"),
    path("centres/<slug:slug>/book/review/", views.review, name="review"),
    path("bookings/", views.my_bookings, name="list"),
    path("bookings/favourites/", views.favourite, name="favourite"),
    path("bookings/<str:reference>/", views.detail, name="detail"),
    path("bookings/<str:reference>/calendar.ics", views.calendar_file, name="ics"),
    path("bookings/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("bookings/occupancy/<slug:slug>/", occupancy_views.centre_occupancy, name="centre_occupancy"),
]
