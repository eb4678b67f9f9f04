ALTER TABLE sessions DROP COLUMN password_change_required;
DROP TABLE password_history;
