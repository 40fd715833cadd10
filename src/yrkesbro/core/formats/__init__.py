"""Display formats per language (settings.FORMAT_MODULE_PATH): one date format per language."""
