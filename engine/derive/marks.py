"""What derivation notes in a subject's values beside the values it derives, for outcomes to show.

A deadline that moved past rest days keeps, under ``<key>__moved``, where it was moved from, where to
and the days it moved past; a value resting on a day whose holiday schedule is not official yet keeps
its years under ``<key>__provisional``, and the subject's values get ``__provisional__``.
"""

PROVISIONAL_SUFFIX = "__provisional"
MOVED_SUFFIX = "__moved"
#: set in a subject's values when any of its derived values is provisional
PROVISIONAL_MARK = "__provisional__"
