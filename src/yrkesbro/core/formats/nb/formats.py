# One date format for Norwegian pages (Språkrådet: 16.08.2027, kl. 14.30 written 14:30 here).
# Only display formats: input formats come from Django's own locale.
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j. F"
