from django.contrib import admin

from tracker.models import Entry, Meal, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "time_zone")
    search_fields = ("user__username", "user__email")


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    raw_id_fields = ("food", "portion")


@admin.register(Meal)
class MealAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "slot")
    list_filter = ("slot",)
    search_fields = ("user__username",)
    date_hierarchy = "day"
    inlines = [EntryInline]
