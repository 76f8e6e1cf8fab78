"""ASGI entry point: a channels ProtocolTypeRouter, so a WebSocket route can join later.
HTTP (pages, API, SSE streams) goes to Django's own ASGI handler."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyi.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi})
