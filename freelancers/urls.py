from django.urls import URLPattern, URLResolver

app_name = "freelancers"
urlpatterns: list[URLPattern | URLResolver] = []
