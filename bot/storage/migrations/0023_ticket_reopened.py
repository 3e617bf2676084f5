from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0022_conversation_chat_link')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='reopened_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='reopens',
            field=fields.SmallIntField(default=0, db_default=0),
        ),
    ]
