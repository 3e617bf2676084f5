from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Handoff',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='handoffs', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='handoffs', on_delete=OnDelete.CASCADE)),
                ('team', fields.CharField(max_length=64)),
                ('status', fields.CharField(default='waiting', db_index=True, max_length=16)),
                ('question', fields.TextField(default='', unique=False)),
                ('tried_articles', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('priority', fields.CharField(default='normal', max_length=16)),
                ('reason', fields.CharField(default='', max_length=32)),
                ('agent', fields.CharField(null=True, max_length=160)),
                ('desk', fields.CharField(max_length=160)),
                ('desk_ref', fields.CharField(null=True, max_length=128)),
                ('ticket', fields.ForeignKeyField('models.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='handoffs', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'handoffs', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A conversation passed to a team: waiting, claimed, closed, ticketed or cancelled.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=32)),
                ('chat_id', fields.CharField(max_length=128)),
                ('kind', fields.CharField(max_length=16)),
                ('text', fields.TextField(unique=False)),
                ('buttons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('handoff', fields.ForeignKeyField('models.Handoff', source_field='handoff_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='pending', max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('available_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('platform_message_id', fields.CharField(null=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'outbox_messages', 'app': 'models', 'indexes': [Index(fields=['platform', 'status', 'available_at'])], 'pk_attr': 'id', 'table_description': "A message to another chat, written in the turn's transaction and delivered after."},
            bases=['Model'],
        ),
    ]
