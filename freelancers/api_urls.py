from django.urls import URLPattern, URLResolver, path

from freelancers import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/registration/", api.MyRegistrationView.as_view(), name="api-my-registration"),
    path("me/registration/submit/", api.SubmitView.as_view(), name="api-my-registration-submit"),
    path("me/registration/documents/", api.DocumentsView.as_view(), name="api-my-documents"),
    path("me/registration/documents/<int:pk>/", api.DocumentDetailView.as_view(), name="api-my-document"),
    path("verify/<str:number>/", api.VerifyView.as_view(), name="api-verify"),
    path("skills/", api.SkillListView.as_view(), name="api-skills"),
]
