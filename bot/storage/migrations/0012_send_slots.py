from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_outbox_parts_sent')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SendSlot',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=200)),
                ('next_at', fields.FloatField(default=0.0)),
                ('recent', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'send_slots', 'app': 'models', 'pk_attr': 'key', 'table_description': "When the next message under one pacing key may go out (`bot/pacing.py`'s `Slot`), shared"},
            bases=['Model'],
        ),
    ]
