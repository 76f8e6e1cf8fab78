"""Page routes (the API lives under /api/ in zhiyi/urls.py). The names dashboard, task-detail,
login and logout are relied on elsewhere."""
from django.urls import include, path

from credits.views import credits_page
from notifications import views as notification_views
from tasks import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("glossaries/upload/", views.glossary_upload, name="glossary-upload"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("tasks/<int:task_id>/cancel/", views.task_cancel, name="task-cancel"),
    path("tasks/<int:task_id>/retry/", views.task_retry, name="task-retry"),
    path("credits/", credits_page, name="credits"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:notification_id>/read/", notification_views.notification_read,
         name="notification-read"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notifications-read-all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.urls")),
]
