-- Owned by server/ledger. The one source of this function: change it here, then
-- `npm run db:function -- server/ledger/sql/ledger_refuse_change.sql` writes the migration that installs it;
-- server/sql-functions.test.ts fails while the latest migration or the database differ.
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are immutable: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'DW005';
END;
$$;
