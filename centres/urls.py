from django.urls import URLPattern, URLResolver, path

from centres import views

app_name = "centres"
urlpatterns: list[URLPattern | URLResolver] = [
    path("centres/", views.directory, name="directory"),
    path("centres/manage/", views.manage_home, name="manage_home"),
    path("centres/manage/<slug:slug>/hours/", views.manage_hours, name="manage_hours"),
    path("centres/manage/<slug:slug>/closures/", views.manage_closures, name="manage_closures"),
    path("centres/manage/<slug:slug>/rules/", views.manage_rules, name="manage_rules"),
    path(
        "centres/manage/<slug:slug>/closures/<int:closure_id>/delete/",
        views.manage_closure_delete,
        name="manage_closure_delete",
    ),
    path("centres/manage/<slug:slug>/spaces/", views.manage_spaces, name="manage_spaces"),
    path(
        "centres/manage/<slug:slug>/spaces/<int:space_id>/", views.manage_space_edit, name="manage_space_edit"
    ),
    path("centres/<slug:slug>/", views.centre_detail, name="detail"),
    path("centres/<slug:slug>/photos/<int:photo_id>/", views.centre_photo, name="photo"),
]
