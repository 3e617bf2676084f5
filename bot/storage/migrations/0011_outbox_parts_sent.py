from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_reply_outbox')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='parts_sent',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
