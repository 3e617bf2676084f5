from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0020_conversation_chat_title')]

    initial = False

    operations = [
        ops.AddField(
            model_name='TranscriptMessage',
            name='forwarded_from',
            field=fields.CharField(max_length=255, default='', db_default=''),
        ),
    ]
