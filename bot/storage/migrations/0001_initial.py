from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='InboundEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=32)),
                ('key', fields.CharField(max_length=191)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('handled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inbound_events', 'app': 'models', 'unique_together': (('platform', 'key'),), 'pk_attr': 'id', 'table_description': 'A platform delivery, recorded before it is handled: unique per (platform, key).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=32)),
                ('workspace', fields.CharField(max_length=64)),
                ('external_id', fields.CharField(max_length=128)),
                ('name', fields.CharField(default='', max_length=200)),
                ('language', fields.CharField(null=True, max_length=8)),
                ('unreachable', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'users', 'app': 'models', 'unique_together': (('platform', 'workspace', 'external_id'),), 'pk_attr': 'id', 'table_description': 'A person on one platform, whose identity is (platform, workspace, external_id).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Conversation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='conversations', on_delete=OnDelete.CASCADE)),
                ('chat_id', fields.CharField(max_length=128)),
                ('state', fields.CharField(default='idle', max_length=32)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('last_question', fields.TextField(default='', unique=False)),
                ('tried_articles', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('misses', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'conversations', 'app': 'models', 'unique_together': (('user', 'chat_id'),), 'pk_attr': 'id', 'table_description': "A user's conversation in one chat. `state` drives the dialog (see bot/dialog.py)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ButtonAction',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=24)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='buttons', on_delete=OnDelete.CASCADE)),
                ('group', fields.CharField(max_length=24)),
                ('action', fields.CharField(max_length=32)),
                ('argument', fields.CharField(default='', max_length=128)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'button_actions', 'app': 'models', 'pk_attr': 'key', 'table_description': 'What a button does. Its `key` is all the platform sees, and a press is checked here.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Feedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('article_id', fields.CharField(max_length=128)),
                ('question', fields.TextField(default='', unique=False)),
                ('helpful', fields.BooleanField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'feedback', 'app': 'models', 'pk_attr': 'id', 'table_description': '"Helped" / "Didn\'t help" on an answer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.CASCADE)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.CASCADE)),
                ('subject', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='open', max_length=16)),
                ('priority', fields.CharField(default='normal', max_length=16)),
                ('team', fields.CharField(null=True, max_length=64)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('reason', fields.CharField(default='', max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tickets', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A ticket. Its `id` is the number the user is told.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TranscriptMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('direction', fields.CharField(max_length=8)),
                ('text', fields.TextField(unique=False)),
                ('truncated', fields.BooleanField(default=False)),
                ('article_id', fields.CharField(null=True, max_length=128)),
                ('confidence', fields.FloatField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'transcript_messages', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One line of the transcript: what the user said or what the bot answered.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnansweredQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='unanswered', on_delete=OnDelete.CASCADE)),
                ('text', fields.TextField(unique=False)),
                ('language', fields.CharField(max_length=8)),
                ('reason', fields.CharField(max_length=32)),
                ('best_article_id', fields.CharField(null=True, max_length=128)),
                ('best_confidence', fields.FloatField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unanswered_questions', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A question the KB did not answer (no match, "didn\'t help", "none of these").'},
            bases=['Model'],
        ),
    ]
