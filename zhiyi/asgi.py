"""ASGI entry point: a channels ProtocolTypeRouter, so a WebSocket route can join later.
HTTP goes to Django's own handler, except the SSE streams the apps registered (/sse/...), which
streams.sse serves directly on the event loop (see its docstring for why)."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyi.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from streams.cors import with_cors  # noqa: E402
from streams.sse import wrap  # noqa: E402

# with_cors: the streams miss Django's middleware, so they get django-cors-headers' answer here.
application = ProtocolTypeRouter({"http": with_cors(wrap(django_asgi))})
