"""The whole schema: every module that defines tables on ``storage.models.Base``, loaded together.

Tables live beside what they serve (the sign-in and clock tables in ``guard_models``, roundups', Teams'
and the embeddings' in their own modules); whoever needs all of them at once (Alembic's autogenerate,
the check that the migrations and the models agree) imports ``Base`` from here rather than from
``storage.models``, so no table module has to import the others.
"""

from __future__ import annotations

import storage.embeddings
import storage.guard_models
import storage.roundup_models
import storage.teams_models  # noqa: F401
from storage.models import Base

__all__ = ["Base"]
