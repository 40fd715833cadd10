from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from yrkesbro.accounts import views, views_oidc
from yrkesbro.accounts.forms import OutboxPasswordResetForm
from yrkesbro.accounts.views_oidc import password_login_only

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views_oidc.logout_view, name="logout"),
    path(
        "password-reset/",
        password_login_only(
            views.PasswordResetView.as_view(
                template_name="accounts/password_reset_form.html",
                form_class=OutboxPasswordResetForm,
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        password_login_only(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_login_only(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        password_login_only(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("account/", views.profile, name="profile"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path(
        "invitations/<str:token>/sign-in/<slug:provider_id>/",
        views_oidc.start_from_invitation,
        name="oidc_invitation",
    ),
    path("sign-in/not-invited/", views_oidc.not_invited, name="oidc_not_invited"),
]
