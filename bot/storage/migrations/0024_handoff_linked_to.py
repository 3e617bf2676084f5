from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0023_ticket_reopened')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Handoff',
            name='linked_to',
            field=fields.ForeignKeyField('models.Handoff', source_field='linked_to_id', null=True, db_constraint=True, to_field='id', related_name='linked', on_delete=OnDelete.CASCADE),
        ),
        ops.AddIndex(
            model_name='Handoff',
            index=Index(fields=['linked_to_id']),
        ),
    ]
