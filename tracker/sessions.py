"""Sessions in the database, each with the user it is signed in as (UserSession), so
that an account's sessions can be found by the user: SESSION_ENGINE names this module.

The session's row is read with its user, their profile and what UserWithProfileBackend
reads with them (tracker/middleware.py), in one query: the signed-in user costs every
page no query of their own."""

from contextvars import ContextVar
from functools import cache

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db.models import Expression
from django.utils import timezone

from nutrients.models import FoodTableVersion
from tracker.built_once import SOME_SESSION_KEY, SOME_TIME, BuiltRead
from tracker.models import TargetChange, UserSession

# The session whose user django.contrib.auth.get_user is reading (SessionUserMiddleware),
# for UserWithProfileBackend.get_user, which Django gives only the user's id.
SESSION_BEING_READ: ContextVar["SessionStore | None"] = ContextVar(
    "session_being_read", default=None
)


class SessionStore(DatabaseSessionStore):
    # The user of the session's row, as the row was read (None: no row, or no user).
    user_read = None

    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def _get_session_from_db(self) -> UserSession | None:
        # Django's own, with the user read in the same query.
        values = {SOME_SESSION_KEY: self.session_key, SOME_TIME: timezone.now()}
        session = next(iter(session_read().read(values)), None)
        if session is None:
            self._session_key = None
            return None
        if session.user is not None:
            session.user.site_revision = session.site_revision
            session.user.targets_changed_on = session.targets_changed_on
            self.user_read = session.user
        return session

    def create_model_instance(self, data: dict) -> UserSession:
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if str(user_id or "").isdigit() else None
        return session


def read_with_the_user(user_id: str = "pk") -> dict[str, Expression]:
    """What every signed-in request reads in the user's query, to set on the user: the
    site's revision (user.site_revision, for tracker/page_cache.py) and the first day of
    their latest change of targets (user.targets_changed_on, for Profile.targets_on).
    `user_id`: what names the user in the query's rows."""
    return {
        "site_revision": FoodTableVersion.current_expression(),
        "targets_changed_on": TargetChange.latest_expression(user_id),
    }


@cache
def session_read() -> BuiltRead:
    """The session's query with its user, built once (tracker/built_once.py): it is the one
    query of every kept page."""
    sessions = (
        UserSession.objects.select_related("user__profile")
        .annotate(**read_with_the_user(user_id="user_id"))
        .filter(session_key=SOME_SESSION_KEY, expire_date__gt=SOME_TIME)
    )
    return BuiltRead(sessions, (SOME_SESSION_KEY, SOME_TIME))
