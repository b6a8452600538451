"""The back-office screens that shape the site: one page for name, logo, colours, menus,
social links and home layout; the promo slots; the breaking-news banner."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from broadsheet.media import services as media

from . import services, svg
from .models import BreakingBanner, HomeSection, MenuItem, Promo, SiteSettings, SocialLink


def _picture_or_svg(upload, *, alt, user):
    """("svg", clean markup) for an SVG, ("picture", Picture) for anything else."""
    if upload.name.lower().endswith(".svg") or upload.content_type == "image/svg+xml":
        try:
            return "svg", svg.clean(upload.read())
        except svg.UnsafeSVG as error:
            raise ValidationError(f"{error} Nothing was changed.") from None
    try:
        return "picture", media.add_picture(upload, alt_text=alt, title=alt, uploaded_by=user)
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(f"This picture could not be used: {error}") from None


class SiteSettingsForm(forms.ModelForm):
    logo_upload = forms.FileField(required=False, label="New logo", help_text="An SVG (checked: no scripts, no outside links) or a PNG/JPEG/WebP picture.")
    remove_logo = forms.BooleanField(required=False, label="Remove the logo (show the site name)")
    favicon_upload = forms.FileField(required=False, label="New favicon", help_text="An SVG or a square PNG.")

    class Meta:
        model = SiteSettings
        fields = ["name", "tagline", "accent_colour", "accent_text_colour", "logo_picture", "favicon_picture"]
        widgets = {"accent_colour": forms.TextInput(attrs={"type": "color"}), "accent_text_colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.uploads = {}

    def clean(self):
        data = super().clean()
        for field, message in services.check_colours(data.get("accent_colour", ""), data.get("accent_text_colour", "")).items():
            self.add_error(field, message)
        for field in ("logo", "favicon"):
            upload = data.get(f"{field}_upload")
            if upload:
                try:
                    self.uploads[field] = _picture_or_svg(upload, alt=data.get("name") or "Logo", user=self.user)
                except ValidationError as error:
                    self.add_error(f"{field}_upload", error)
        return data

    def save(self, commit=True):
        row = super().save(commit=False)
        if self.cleaned_data.get("remove_logo"):
            row.logo_svg, row.logo_picture = "", None
        for field, (kind, value) in self.uploads.items():
            if kind == "svg":
                setattr(row, f"{field}_svg", value)
                setattr(row, f"{field}_picture", None)
            else:
                setattr(row, f"{field}_svg", "")
                setattr(row, f"{field}_picture", value)
        if commit:
            row.save()
        return row


class MenuItemForm(forms.ModelForm):
    class Meta:
        model = MenuItem
        fields = ["menu", "position", "section", "page", "label", "url"]

    def clean(self):
        data = super().clean()
        url = (data.get("url") or "").strip()
        chosen = [bool(data.get("section")), bool(data.get("page")), bool(url)]
        if not any(chosen):
            raise ValidationError("Choose a section or a page, or give a link.")
        if sum(chosen) > 1:
            raise ValidationError("Choose one of a section, a page or a link for each menu item.")
        if url and not (url.startswith("/") and not url.startswith("//") or url.startswith(("https://", "http://", "mailto:"))):
            self.add_error("url", "A link starts with / (a page of this site), https:// or mailto:.")
        return data


class MenuItemInline(admin.TabularInline):
    model = MenuItem
    form = MenuItemForm
    extra = 2


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 1


class HomeSectionInline(admin.TabularInline):
    model = HomeSection
    extra = 1
    verbose_name = "home page section"
    verbose_name_plural = "Home page layout (empty: every section in the menu, 4 stories each)"


class OneRowAdmin(admin.ModelAdmin):
    """A screen for the one settings row: no list, no adding, no deleting."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        services.settings_row()
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1]))


@admin.register(SiteSettings)
class SiteSettingsAdmin(OneRowAdmin):
    form = SiteSettingsForm
    inlines = [MenuItemInline, SocialLinkInline, HomeSectionInline]
    raw_id_fields = ("logo_picture", "favicon_picture")
    fieldsets = (
        (None, {"fields": ("name", "tagline")}),
        ("Logo and favicon", {"fields": ("logo_upload", "remove_logo", "logo_picture", "favicon_upload", "favicon_picture")}),
        ("Colours (checked for WCAG AA contrast)", {"fields": ("accent_colour", "accent_text_colour")}),
    )

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class WithUser(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return WithUser


class BannerForm(forms.ModelForm):
    class Meta:
        model = BreakingBanner
        fields = ["breaking_text", "breaking_url"]
        labels = {"breaking_text": "Banner text (empty: no banner)", "breaking_url": "Link (a story or live page)"}


@admin.register(BreakingBanner)
class BreakingBannerAdmin(OneRowAdmin):
    form = BannerForm

    def save_model(self, request, obj, form, change):
        if obj.breaking_text.strip():
            services.raise_banner(text=obj.breaking_text, url=obj.breaking_url)
        else:
            services.lower_banner()


@admin.register(Promo)
class PromoAdmin(admin.ModelAdmin):
    list_display = ("headline", "placement", "starts_at", "ends_at")
    list_filter = ("placement",)
