from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0021_transcript_forwarded_from')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Conversation',
            name='chat_link',
            field=fields.CharField(max_length=255, default='', db_default=''),
        ),
    ]
