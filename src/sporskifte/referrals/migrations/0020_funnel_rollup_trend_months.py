# The rollup's level 4 (``referrals.rollup.MONTH_TREND``): level 2's month rows summed over the
# days to contact, for the filtered trend. Counted here from level 2 in SQL, which both
# databases speak; a key sum stays NULL (read from the raw rows) when any row it sums is NULL,
# as an upsert onto a NULL leaves it.

from django.db import migrations

COUNTS = (
    "offered", "yes", "referred", "contact", "first_conversation", "further_sessions",
    "prevention_accepted", "timed", "within",
)  # fmt: skip
KEY = ("programme_id", "start", "municipality", "offence", "age_band", "sex", "partner")


def fill(apps, schema_editor):
    q = schema_editor.connection.ops.quote_name
    keys = [f"key_{c}" for c in COUNTS]
    sums = [f"SUM({q(c)})" for c in COUNTS] + [
        f"CASE WHEN COUNT({q(k)}) = COUNT(*) THEN SUM({q(k)}) END" for k in keys
    ]
    key = ", ".join(q(c) for c in KEY)
    columns = ", ".join(q(c) for c in ("level", *KEY, "contact_days", *COUNTS, *keys))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM referrals_funnelrollup WHERE level = 4")
        cursor.execute(
            f"INSERT INTO referrals_funnelrollup ({columns}) "  # noqa: S608 (names only)
            f"SELECT 4, {key}, -1, {', '.join(sums)} FROM referrals_funnelrollup "
            f"WHERE level = 2 GROUP BY {key}"
        )
        if schema_editor.connection.vendor == "postgresql":
            # A seventh more rows at once: plans chosen on the old statistics read a
            # municipality's trend in 60 ms, not 6, until autovacuum measured the table again.
            cursor.execute("ANALYZE referrals_funnelrollup")


def unfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM referrals_funnelrollup WHERE level = 4")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0019_open_deadlines_fill"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
