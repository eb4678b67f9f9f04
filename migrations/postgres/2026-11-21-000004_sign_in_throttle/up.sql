-- Failed sign-ins, counted per account (scope 'account': the account id, or the normalised email
-- when no account has it, so unknown emails lock like known ones) and per client address (scope
-- 'address': the IP). locked_until is set from the 10th failure of an account (50th of an
-- address) on; see src/domain/throttle.rs for the schedule.
CREATE TABLE sign_in_throttles (
    scope TEXT NOT NULL,
    subject TEXT NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX sign_in_throttles_updated ON sign_in_throttles (updated_at);
