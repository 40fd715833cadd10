# One date format for English pages: unambiguous for every reader (16 Aug 2027), never 08/16/2027.
# Only display formats: input formats come from Django's own locale.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
