from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('models', '0008_handoff_asked_at')]

    initial = False

    # A transfer used to keep the claim time of the team it left: a claim before the handoff
    # joined its team's queue is that stale one (a claim since has overwritten it), so the
    # request has not been claimed in its team, as a transfer records it now.
    operations = [
        ops.RunSQL("UPDATE handoffs SET claimed_at = NULL WHERE claimed_at < created_at"),
    ]
