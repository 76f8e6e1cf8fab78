from django.contrib.auth import views as auth_views
from django.urls import path

from tasks import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
