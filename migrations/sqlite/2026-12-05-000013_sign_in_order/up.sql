-- The directory sorts by last sign-in with those who never signed in together at one end on
-- both databases (their NULLs sort apart), ordering by `last_sign_in_at IS NOT NULL` first:
-- the index follows the same expression so that order is still read from it, not sorted.
DROP INDEX memberships_by_sign_in;
CREATE INDEX memberships_by_sign_in
  ON memberships (organization_id, (last_sign_in_at IS NOT NULL), last_sign_in_at, id);
