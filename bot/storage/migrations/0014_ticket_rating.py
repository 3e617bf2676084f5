from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_ticket_status_index')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='rated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='rating',
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolved_by',
            field=fields.CharField(null=True, max_length=160),
        ),
    ]
