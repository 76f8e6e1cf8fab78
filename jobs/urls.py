"""Job pages."""
from django.urls import path

from jobs import views

urlpatterns = [
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job-retry"),
    path("jobs/<int:job_id>/tasks/<int:task_id>/cancel/", views.job_task_action, {"action": "cancel"},
         name="job-task-cancel"),
    path("jobs/<int:job_id>/tasks/<int:task_id>/retry/", views.job_task_action, {"action": "retry"},
         name="job-task-retry"),
]
