"""The OIOSAML 3 attribute names and levels this service provider reads.

From the OIOSAML Web SSO Profile 3.0 (Digitaliseringsstyrelsen) and the NSIS levels of assurance:
an assertion carries the level at which the person was authenticated; Sporskifte holds personal
data of the most sensitive kind and requires "Substantial" (betydelig) or higher.
"""

PERSISTENT_ID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
FULL_NAME = "https://data.gov.dk/model/core/eid/fullName"
EMAIL = "https://data.gov.dk/model/core/eid/email"
CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
LOA = "https://data.gov.dk/concept/core/nsis/loa"
SPEC_VERSION = "https://data.gov.dk/model/core/specVersion"

LEVELS = ("Low", "Substantial", "High")
REQUIRED_LEVEL = "Substantial"


def level_suffices(level: str | None) -> bool:
    return level in LEVELS and LEVELS.index(level) >= LEVELS.index(REQUIRED_LEVEL)
