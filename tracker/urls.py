from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from tracker import (
    account,
    api,
    api_docs,
    cramp_export,
    cramps,
    export,
    health,
    insights,
    own_foods,
    quick_log,
    recipes,
    saved_meals,
    supplements,
    tokens,
    views,
)
from tracker.diary_days import IsoDateConverter
from tracker.forms import LoginForm, NewPasswordForm, TokenRevokingPasswordChangeForm

register_converter(IsoDateConverter, "date")

# Database trouble answers 503 with Retry-After (tracker/health.py), other errors 500.
handler500 = "tracker.health.server_error"

diary_patterns = (
    [
        path("", views.today, name="today"),
        path("<date:day>/", views.day, name="day"),
        path("<date:day>/report/", views.report, name="report"),
        path("<date:day>/workout/", views.set_workout, name="set_workout"),
        path("<date:day>/entries/", views.add_entry, name="add_entry"),
        path("<date:day>/water/", views.add_water, name="add_water"),
        path("<date:day>/copy/", views.copy_entries, name="copy"),
        path("<date:day>/recent/", quick_log.log_recent, name="log_recent"),
        path("<date:day>/meals/<str:slot>/save/", saved_meals.save_day_meal, name="save_meal"),
        path("entries/<int:pk>/edit/", views.edit_entry, name="edit_entry"),
        path("entries/<int:pk>/delete/", views.delete_entry, name="delete_entry"),
    ],
    "tracker",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("day/", include(diary_patterns)),
    path("export/", export.export_page, name="export"),
    path("export/entries.csv", export.entries_csv, name="export_entries"),
    path("export/days.csv", export.days_csv, name="export_days"),
    path("export/cramps.csv", cramp_export.cramps_csv, name="export_cramps"),
    path("export/supplements.csv", cramp_export.supplements_csv, name="export_supplements"),
    # Before the API's own URLs: the reference drawn from its OpenAPI document.
    path("api/docs", api_docs.api_reference, name="api_docs"),
    path("api/", api.api.urls),
    path("foods/", own_foods.food_list, name="own_foods"),
    path("foods/new/", own_foods.food_create, name="own_food_create"),
    path("foods/<int:pk>/edit/", own_foods.food_edit, name="own_food_edit"),
    path("foods/<int:pk>/delete/", own_foods.food_delete, name="own_food_delete"),
    path("recipes/", recipes.recipe_list, name="recipes"),
    path("recipes/new/", recipes.recipe_create, name="recipe_create"),
    path("recipes/<int:pk>/", recipes.recipe_page, name="recipe"),
    path("recipes/<int:pk>/ingredients/", recipes.ingredient_add, name="ingredient_add"),
    path(
        "recipes/<int:pk>/ingredients/<int:ingredient_pk>/edit/",
        recipes.ingredient_edit,
        name="ingredient_edit",
    ),
    path(
        "recipes/<int:pk>/ingredients/<int:ingredient_pk>/delete/",
        recipes.ingredient_delete,
        name="ingredient_delete",
    ),
    path("recipes/<int:pk>/copy/", recipes.recipe_copy, name="recipe_copy"),
    path("recipes/<int:pk>/delete/", recipes.recipe_delete, name="recipe_delete"),
    path("meals/", saved_meals.saved_meal_list, name="saved_meals"),
    path("meals/<int:pk>/log/", saved_meals.saved_meal_log, name="saved_meal_log"),
    path("meals/<int:pk>/rename/", saved_meals.saved_meal_rename, name="saved_meal_rename"),
    path("meals/<int:pk>/delete/", saved_meals.saved_meal_delete, name="saved_meal_delete"),
    path(
        "meals/<int:pk>/items/<int:item_pk>/delete/",
        saved_meals.saved_meal_item_delete,
        name="saved_meal_item_delete",
    ),
    path("cramps/now/", cramps.cramp_now, name="cramp_now"),
    path("cramps/new/", cramps.cramp_new, name="cramp_new"),
    path("cramps/<int:pk>/", cramps.cramp_row, name="cramp"),
    path("cramps/<int:pk>/edit/", cramps.cramp_edit, name="cramp_edit"),
    path("cramps/<int:pk>/delete/", cramps.cramp_delete, name="cramp_delete"),
    path("cramps/insights/", insights.insights_page, name="insights"),
    path("cramps/summary/", insights.summary_page, name="insights_summary"),
    path("supplements/", supplements.supplement_list, name="supplements"),
    path("supplements/<date:day>/log/", supplements.intake_add, name="intake_add"),
    path("supplements/taken/<int:pk>/", supplements.intake_row, name="intake"),
    path("supplements/taken/<int:pk>/edit/", supplements.intake_edit, name="intake_edit"),
    path("supplements/taken/<int:pk>/delete/", supplements.intake_delete, name="intake_delete"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/time-zone/", views.switch_time_zone, name="switch_time_zone"),
    path("accounts/data/", account.download_data, name="account_data"),
    path("accounts/delete/", account.delete_account, name="delete_account"),
    path("accounts/tokens/new/", tokens.token_create, name="api_token_create"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    # Before django.contrib.auth's own, which they override.
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=TokenRevokingPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
