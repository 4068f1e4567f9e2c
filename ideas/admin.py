from django.contrib import admin

from .models import Call, Comment, CommentReport, Criterion, GuidingQuestion, Idea, JuryMember


class QuestionInline(admin.TabularInline):
    model = GuidingQuestion
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "is_published", "submission_closes"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "created_by", "managers"]
    inlines = [QuestionInline, CriterionInline]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "status", "vote_count"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["call", "author"]
    readonly_fields = ["vote_count"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["idea", "author", "is_hidden", "created_at"]
    raw_id_fields = ["idea", "author"]


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reporter", "reason", "resolved"]
    raw_id_fields = ["comment", "reporter"]


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "call", "helix_type", "submitted_at"]
    raw_id_fields = ["user", "call", "organisation"]
