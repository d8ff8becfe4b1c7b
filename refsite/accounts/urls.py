import re

from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy

from refsite.accounts import kinds, views

app_name = "accounts"
# The kinds that codes and guides registered (refsite/accounts/kinds.py): code|guide.
KIND = "|".join(re.escape(kind.name) for kind in kinds.registered())

urlpatterns = [
    path("", views.account, name="account"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("signup/<str:token>/", views.signup_finish, name="signup-finish"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context={"login_url": reverse_lazy("accounts:login")}
        ),
        name="password_reset_complete",
    ),
    path("my-codes/", views.my_codes, name="my-codes"),
    path("my-codes/share/", views.share, name="share"),
    path("sheet/<str:token>/", views.shared_sheet, name="shared-sheet"),
    re_path(rf"^star/(?P<kind>{KIND})/(?P<key>[-\w]+)/$", views.toggle_star, name="star"),
    re_path(rf"^suggest/(?P<kind>{KIND})/(?P<key>[-\w]+)/$", views.suggest, name="suggest"),
]
