"""API tokens: made, checked, touched and revoked (see ``service``)."""
