from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0019_agents')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Conversation',
            name='chat_title',
            field=fields.CharField(max_length=255, default='', db_default=''),
        ),
    ]
