from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from erozgar import views
from outbox.operations import operations_page

# The admin signs in through allauth, so its rate limits guard the admin login too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "e-Rozgar Portal: PSEB administration"
admin.site.site_title = "e-Rozgar admin"

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the CSP needs no inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    path("healthz/ready", views.healthz_ready, name="healthz-ready"),
    path("accounts/data/", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("admin/operations/", admin.site.admin_view(operations_page), name="admin-operations"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/v1/", include("accounts.api_urls")),
    path("api/v1/", include("centres.api_urls")),
    path("api/v1/", include("freelancers.api_urls")),
    path("api/v1/", include("bookings.api_urls")),
    path("api/v1/", include("desk.api_urls")),
    path("", include("centres.urls")),
    path("", include("freelancers.urls")),
    path("", include("bookings.urls")),
    path("", include("desk.urls")),
]

handler400 = "erozgar.views.bad_request"
handler403 = "erozgar.views.permission_denied"
handler404 = "erozgar.views.page_not_found"
handler500 = "erozgar.views.server_error"
