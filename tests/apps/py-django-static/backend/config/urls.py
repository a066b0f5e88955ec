from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import path


def index(request):
    # static() resolves through the manifest collectstatic wrote: it fails without it.
    return HttpResponse(f"hello from py-django-static, see {static('site/hello.txt')}\n", content_type="text/plain")


urlpatterns = [path("", index)]
