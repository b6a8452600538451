from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_editor_permissions")]

    operations = [
        migrations.AddField(
            model_name="lockout",
            name="ip_address",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For an account from an address.",
                max_length=64,
                verbose_name="network address",
            ),
        ),
        migrations.AlterField(
            model_name="lockout",
            name="scope",
            field=models.CharField(
                choices=[
                    ("username", "Username"),
                    ("ip", "Network address"),
                    ("account_ip", "Account from an address"),
                ],
                max_length=10,
            ),
        ),
    ]
