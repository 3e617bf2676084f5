from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_foreign_key_indexes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['platform', 'chat_id']),
        ),
    ]
