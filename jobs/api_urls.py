"""The jobs API, under /api/v1/ (and its alias /api/). The quote lives here: it prices a job."""
from django.urls import path

from jobs import api

urlpatterns = [
    path("quote/", api.QuoteApi.as_view(), name="api-quote"),
    path("jobs/", api.JobListCreateApi.as_view(), name="api-jobs"),
    path("jobs/<int:job_id>/", api.JobDetailApi.as_view(), name="api-job-detail"),
    path("jobs/<int:job_id>/cancel/", api.JobCancelApi.as_view(), name="api-job-cancel"),
    path("jobs/<int:job_id>/retry/", api.JobRetryApi.as_view(), name="api-job-retry"),
    path("jobs/<int:job_id>/result/", api.JobResultApi.as_view(), name="api-job-result"),
]
