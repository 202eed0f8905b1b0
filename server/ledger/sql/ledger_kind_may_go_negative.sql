-- Owned by server/ledger. The one source of this function: change it here, then
-- `npm run db:function -- server/ledger/sql/ledger_kind_may_go_negative.sql` writes the migration that installs it;
-- server/sql-functions.test.ts fails while the latest migration or the database differ.
CREATE OR REPLACE FUNCTION ledger_kind_may_go_negative(p_kind ledger_account_kind) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT p_kind IN ('card_clearing', 'adjustments') $$;
