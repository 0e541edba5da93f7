from django.urls import URLPattern, URLResolver, path

from freelancers import views

app_name = "freelancers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("registration/", views.dashboard, name="dashboard"),
    path("registration/start/", views.start, name="start"),
    path("registration/identity/", views.identity, name="identity"),
    path("registration/work/", views.work, name="work"),
    path("registration/documents/", views.documents, name="documents"),
    path("registration/documents/<int:pk>/", views.document, name="document"),
    path("registration/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("registration/declaration/", views.declaration, name="declaration"),
    path("registration/review/", views.review, name="review"),
    path("registration/submit/", views.submit, name="submit"),
    path("registration/certificate/", views.certificate, name="certificate"),
    path("registration/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:number>/", views.verify, name="verify"),
]
