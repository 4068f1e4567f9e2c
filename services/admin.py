from django.contrib import admin

from .models import Answer, Booking, Feedback, Question, Response, Service, StatusChange, Survey


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    raw_id_fields = ["changed_by"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "category", "status", "transferability", "is_shared"]
    list_filter = ["status", "category", "financing", "transferability", "is_shared"]
    search_fields = ["title", "problem", "target_group"]
    raw_id_fields = ["cluster", "adopted_from", "created_by"]
    inlines = [StatusChangeInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["service", "user", "organisation", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["service", "user", "organisation"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["service", "user", "rating", "rated_at"]
    list_filter = ["rating"]
    raw_id_fields = ["service", "user"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "kind", "state", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    raw_id_fields = ["cluster", "service", "created_by"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question", "service_idea"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "user", "submitted_at"]
    raw_id_fields = ["survey", "user"]
    inlines = [AnswerInline]
