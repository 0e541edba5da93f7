"""CNIC and mobile leave the database in clear: sealed columns and blind indexes take their place.

Existing rows are sealed with the newest FIELD_ENCRYPTION_KEYS key and indexed with
BLIND_INDEX_KEY (so both must be set before migrating a production database), then the
plaintext columns are dropped. The uniqueness of a CNIC moves to its blind index, still a
unique constraint in PostgreSQL. Reversible: going back unseals into plaintext columns.
"""

from django.db import migrations, models
from django.db.models import Q

import erozgar.fields

BATCH = 1000


def _batches(queryset, fields):
    batch = []
    for row in queryset.order_by("pk").values_list("pk", *fields).iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def seal(apps, schema_editor):
    Registration = apps.get_model("freelancers", "Registration")
    for batch in _batches(Registration.objects.all(), ["cnic", "mobile"]):
        # The blind indexes are derived from the fields named "cnic" and "mobile" (here still the
        # plaintext ones), so giving those is what fills them.
        rows = [
            Registration(pk=pk, cnic=cnic or None, cnic_sealed=cnic or None, mobile=mobile, mobile_sealed=mobile or None)
            for pk, cnic, mobile in batch
        ]
        Registration.objects.bulk_update(rows, ["cnic_sealed", "cnic_digest", "mobile_sealed", "mobile_digest"])


def unseal(apps, schema_editor):
    Registration = apps.get_model("freelancers", "Registration")
    for batch in _batches(Registration.objects.all(), ["cnic_sealed", "mobile_sealed"]):
        rows = [Registration(pk=pk, cnic=cnic, mobile=mobile or "") for pk, cnic, mobile in batch]
        Registration.objects.bulk_update(rows, ["cnic", "mobile"])


class Migration(migrations.Migration):
    dependencies = [
        ("freelancers", "0003_registration_newest_first_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="cnic_sealed",
            field=erozgar.fields.SealedTextField(
                blank=True, max_length=15, null=True, purpose="registration.cnic", verbose_name="CNIC"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="cnic_digest",
            field=erozgar.fields.BlindIndexField(max_length=32, null=True, purpose="cnic", source="cnic"),
        ),
        migrations.AddField(
            model_name="registration",
            name="mobile_sealed",
            field=erozgar.fields.SealedTextField(
                blank=True, max_length=16, null=True, purpose="registration.mobile", verbose_name="mobile number"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="mobile_digest",
            field=erozgar.fields.BlindIndexField(max_length=32, null=True, purpose="mobile", source="mobile"),
        ),
        # Constraints on the plaintext columns go before the data moves (so that going back, the
        # plaintext is restored before they return).
        migrations.RemoveConstraint(model_name="registration", name="registration_cnic_unique"),
        migrations.RemoveConstraint(model_name="registration", name="registration_cnic_canonical"),
        migrations.RemoveConstraint(model_name="registration", name="registration_mobile_e164"),
        migrations.RemoveConstraint(model_name="registration", name="registration_submitted_is_complete"),
        migrations.RemoveIndex(model_name="registration", name="registration_mobile"),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(model_name="registration", name="cnic"),
        migrations.RemoveField(model_name="registration", name="mobile"),
        migrations.RenameField(model_name="registration", old_name="cnic_sealed", new_name="cnic"),
        migrations.RenameField(model_name="registration", old_name="mobile_sealed", new_name="mobile"),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["mobile_digest"], name="registration_mobile"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("cnic_digest",),
                name="registration_cnic_unique",
                violation_error_message="This CNIC is already registered to another account.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=Q(cnic__isnull=True, cnic_digest__isnull=True)
                | Q(cnic__isnull=False, cnic_digest__isnull=False),
                name="registration_cnic_indexed",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=Q(mobile__isnull=True, mobile_digest__isnull=True)
                | Q(mobile__isnull=False, mobile_digest__isnull=False),
                name="registration_mobile_indexed",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=Q(status="draft")
                | Q(cnic__isnull=False, submitted_at__isnull=False, declaration_accepted_at__isnull=False),
                name="registration_submitted_is_complete",
                violation_error_message="A submitted registration needs a CNIC and the accepted declaration.",
            ),
        ),
    ]
