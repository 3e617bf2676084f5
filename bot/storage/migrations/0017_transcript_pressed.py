from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_outbox_chat_index')]

    initial = False

    operations = [
        ops.AddField(
            model_name='TranscriptMessage',
            name='pressed',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
