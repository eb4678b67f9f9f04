DROP TABLE password_reset_tokens;
DROP TABLE outbox_messages;
