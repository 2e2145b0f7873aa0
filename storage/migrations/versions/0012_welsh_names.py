"""Welsh: forces' Welsh names, a person's chosen language, and each roundup channel's language

* ``forces.name_cy``: the Welsh name of a force ("Heddlu Gwent"), empty where there is none; the four
  Welsh forces are filled in here, as the seed only adds forces that are missing.
* ``people.platform_locale`` / ``people.locale_source``: the language the platform last reported (so a
  change in Teams is honoured but an unchanged one never overrides the person's own choice), and where
  ``people.locale`` came from: "platform", "offered" (asked once, on first contact) or "chosen".
* ``roundup_subscriptions.lang``: "en", "cy" or "both" (bilingual, Welsh first).

Revision ID: 0012_welsh_names
Revises: 0011_sign_in_and_clock
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_welsh_names"
down_revision: str | None = "0011_sign_in_and_clock"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WELSH_NAMES = {
    "dyfed-powys": "Heddlu Dyfed-Powys",
    "gwent": "Heddlu Gwent",
    "north-wales": "Heddlu Gogledd Cymru",
    "south-wales": "Heddlu De Cymru",
}


def upgrade() -> None:
    with op.batch_alter_table("forces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_cy", sa.String(length=200), nullable=False, server_default=""))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("platform_locale", sa.String(length=16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("locale_source", sa.String(length=16), nullable=False,
                                      server_default="platform"))
    with op.batch_alter_table("roundup_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lang", sa.String(length=8), nullable=False, server_default="en"))
    forces = sa.table("forces", sa.column("slug", sa.String), sa.column("name_cy", sa.String))
    for slug, name in WELSH_NAMES.items():
        op.execute(forces.update().where(forces.c.slug == slug).values(name_cy=name))


def downgrade() -> None:
    with op.batch_alter_table("roundup_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("lang")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("locale_source")
        batch_op.drop_column("platform_locale")
    with op.batch_alter_table("forces", schema=None) as batch_op:
        batch_op.drop_column("name_cy")
