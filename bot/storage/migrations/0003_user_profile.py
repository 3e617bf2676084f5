from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_handoff_queue')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='office',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='User',
            name='office',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='User',
            name='timezone',
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
