from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_outbox_attachment')]

    initial = False

    operations = [
        ops.AddField(
            model_name='InboundEvent',
            name='failures',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
