from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_handoff_transfer_unclaims')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='OutboxMessage',
            options={'table': 'outbox_messages', 'app': 'models', 'indexes': [Index(fields=['platform', 'status', 'available_at'])], 'pk_attr': 'id', 'table_description': "A message to a chat, written in the turn's transaction and delivered after."},
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='conversation',
            field=fields.ForeignKeyField('models.Conversation', source_field='conversation_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE),
        ),
    ]
