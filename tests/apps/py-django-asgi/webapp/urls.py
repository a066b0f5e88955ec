import asyncio

from django.http import HttpResponse
from django.urls import path


async def index(request):
    await asyncio.sleep(0)
    return HttpResponse("hello from py-django-asgi\n", content_type="text/plain")


urlpatterns = [path("", index)]
