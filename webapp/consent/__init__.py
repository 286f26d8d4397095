"""Cookie consent: the banner, consent evidence kept on the server, and marketing-tag gating."""
