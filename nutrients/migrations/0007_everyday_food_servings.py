# The everyday foods list serves suggestions too: each food's kind, its typical serving
# in grams, and whether it may be suggested. Rows are loaded from the shipped list
# (nutrients/everyday.py), so the defaults below fill no real row.

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nutrients', '0006_food_hidden'),
    ]

    operations = [
        migrations.AlterField(
            model_name='everydayfood',
            name='serving',
            field=models.CharField(help_text="the typical serving: one of the food's USDA portions (“1 can (3.75 oz)”), or a share of one (“2 tbsp”, logged in grams)", max_length=255),
        ),
        migrations.AddField(
            model_name='everydayfood',
            name='serving_grams',
            field=models.DecimalField(decimal_places=2, default=Decimal('100'), max_digits=7),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='everydayfood',
            name='kind',
            field=models.CharField(default='', help_text='at most one food of a kind is suggested at once (beans, milk…)', max_length=50),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='everydayfood',
            name='suggest',
            field=models.BooleanField(default=True, help_text='off for what no dietitian would suggest for minerals: salt, oil, coffee…', verbose_name='may be suggested'),
        ),
        migrations.AddConstraint(
            model_name='everydayfood',
            constraint=models.CheckConstraint(condition=models.Q(('serving_grams__gt', 0), ('serving_grams__lte', 1000)), name='everyday_serving_grams_sensible'),
        ),
    ]
