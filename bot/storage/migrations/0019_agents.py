from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0018_rating_comment')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Agent',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=160)),
                ('name', fields.CharField(max_length=200)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'agents', 'app': 'models', 'pk_attr': 'key', 'table_description': 'The name an agent goes by on their platform ("Bob Smith"), kept from their last desk'},
            bases=['Model'],
        ),
    ]
