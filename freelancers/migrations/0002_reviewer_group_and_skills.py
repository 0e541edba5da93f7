"""The "PSEB reviewer" group (review, never delete) and the starting list of skill categories."""

from django.db import migrations

REVIEWER_GROUP = "PSEB reviewer"
REVIEWER_PERMISSIONS = [
    ("freelancers", "view_registration"),
    ("freelancers", "change_registration"),
    ("freelancers", "review_registration"),
    ("freelancers", "view_document"),
    ("freelancers", "view_platformprofile"),
    ("freelancers", "view_registrationevent"),
    ("freelancers", "view_skillcategory"),
]

SKILLS = [
    ("web-development", "Web development", "ویب ڈویلپمنٹ"),
    ("mobile-apps", "Mobile app development", "موبائل ایپ ڈویلپمنٹ"),
    ("graphic-design", "Graphic design", "گرافک ڈیزائن"),
    ("content-writing", "Content writing and translation", "مواد نویسی اور ترجمہ"),
    ("digital-marketing", "Digital marketing", "ڈیجیٹل مارکیٹنگ"),
    ("video-animation", "Video and animation", "ویڈیو اور اینیمیشن"),
    ("data-entry", "Data entry and virtual assistance", "ڈیٹا انٹری اور ورچوئل معاونت"),
    ("software-engineering", "Software engineering", "سافٹ ویئر انجینئرنگ"),
    ("data-science", "Data science and AI", "ڈیٹا سائنس اور مصنوعی ذہانت"),
    ("accounting", "Accounting and finance", "اکاؤنٹنگ اور فنانس"),
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    # Permissions are normally made after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=REVIEWER_GROUP)
    for app_label, codename in REVIEWER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
        )

    SkillCategory = apps.get_model("freelancers", "SkillCategory")
    for order, (code, name_en, name_ur) in enumerate(SKILLS, start=1):
        SkillCategory.objects.using(db).get_or_create(
            code=code, defaults={"name_en": name_en, "name_ur": name_ur, "sort_order": order * 10}
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=REVIEWER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("freelancers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
