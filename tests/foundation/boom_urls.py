"""The portal's URLs plus one view that fails, for the error-reporting tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from erozgar.urls import handler400, handler403, handler404, handler500
from erozgar.urls import urlpatterns as portal

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@csrf_exempt
def boom(request: HttpRequest) -> HttpResponse:
    cnic = request.POST.get("cnic", "")
    raise RuntimeError(f"could not save registration for {cnic} ({request.POST.get('email', '')})")


urlpatterns = [path("boom/", boom), *portal]
