"""Action items: the response plan, carried from cycle to cycle."""
