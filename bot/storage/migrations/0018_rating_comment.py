from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0017_transcript_pressed')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Handoff',
            name='rating_comment',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='rating_comment',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
