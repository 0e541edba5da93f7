# The idempotency key now belongs to the shared kernel (erozgar 0001 renamed the table and took it over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0004_booking_reminder_sent_at"),
        ("erozgar", "0001_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
