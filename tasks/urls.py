"""Task pages. The names dashboard and task-detail are relied on elsewhere."""
from django.urls import path

from tasks import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/rows/", views.task_rows, name="task-rows"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("tasks/<int:task_id>/cancel/", views.task_cancel, name="task-cancel"),
    path("tasks/<int:task_id>/retry/", views.task_retry, name="task-retry"),
    path("tasks/<int:task_id>/delete/", views.task_delete, name="task-delete"),
]
