"""One router per concern: ask, search, units, chat completions, widget, health."""
