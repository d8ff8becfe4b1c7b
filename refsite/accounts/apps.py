from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "refsite.accounts"
    label = "accounts"
    verbose_name = "Accounts, stars and suggestions"
