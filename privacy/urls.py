from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.data_page, name="data"),
    path("export/", views.data_export, name="export"),
    path("delete/", views.account_delete, name="delete"),
]
