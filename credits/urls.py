from django.urls import path

from credits.views import credits_page

urlpatterns = [
    path("credits/", credits_page, name="credits"),
]
