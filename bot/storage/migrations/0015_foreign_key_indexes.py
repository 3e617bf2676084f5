from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_ticket_rating')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ButtonAction',
            index=Index(fields=['conversation_id']),
        ),
        ops.AddIndex(
            model_name='ButtonAction',
            index=Index(fields=['group']),
        ),
        ops.AddIndex(
            model_name='Handoff',
            index=Index(fields=['conversation_id']),
        ),
        ops.AddIndex(
            model_name='Handoff',
            index=Index(fields=['ticket_id']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['handoff_id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['user_id']),
        ),
        ops.AddIndex(
            model_name='TranscriptMessage',
            index=Index(fields=['conversation_id']),
        ),
    ]
