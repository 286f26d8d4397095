"""Local fake servers for tests (SMTP via aiosmtpd, an SMS provider via http.server, …)."""
