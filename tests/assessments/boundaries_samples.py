"""Object-boundary rows for the moderation sample (see tests/assessments/boundaries.py).

Neither route names an object in its address, so neither belongs here (the boundary test takes
only routes with arguments). The ids the pack is asked for arrive in the POST body instead; that
they are checked against what the lead may see, and what is finished, is proved in
tests/assessments/test_moderation_sample.py.
"""

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {}
