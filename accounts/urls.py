from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import account_views, preferences, views

urlpatterns = [
    path("i18n/setlang/", preferences.set_language, name="set_language"),
    path("accounts/time-zone/", preferences.save_time_zone, name="save-time-zone"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("accounts/password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("accounts/password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("accounts/password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("accounts/email/verify/<str:token>/", views.verify_email, name="verify-email"),
    path("accounts/email/resend/", views.resend_verification, name="resend-verification"),
    path("accounts/settings/", account_views.account_settings, name="account-settings"),
    path("accounts/keys/", account_views.api_keys, name="api-keys"),
    path("accounts/keys/token/revoke/", account_views.revoke_legacy_token, name="revoke-legacy-token"),
    path("accounts/keys/<str:prefix>/revoke/", account_views.revoke_api_key, name="revoke-api-key"),
]
