"""Digests: compose what each person needs to know, render it as an email, deliver it (outbox or SMTP)."""
