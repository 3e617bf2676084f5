from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_inbound_failures')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Handoff',
            name='rating',
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name='Handoff',
            name='rated_at',
            field=fields.DatetimeField(null=True),
        ),
    ]
