from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import schema, signals  # noqa: F401  (the schema's key scheme; the receivers)
        from accounts.services import language_of
        from lib.readers import register_language_lookup

        register_language_lookup(language_of)
