from django.urls import path

from memory import views

urlpatterns = [
    path("glossaries/upload/", views.glossary_upload, name="glossary-upload"),
]
