-- The one way money moves: a balanced transfer, claimed by its idempotency key, applied to stored
-- wallet balances under row locks taken in account-id order, in one statement.
CREATE OR REPLACE FUNCTION ledger_post_transfer(
  p_key text,
  p_params_hash text,
  p_category ledger_transfer_category,
  p_operation ledger_transfer_operation,
  p_description text,
  p_metadata jsonb,
  p_refund_of uuid,
  p_accounts uuid[],
  p_amounts bigint[]
) RETURNS TABLE (transfer_id uuid, replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
  v_hash text;
  v_total bigint;
  v_balance bigint;
  v_leg int;
BEGIN
  IF coalesce(array_length(p_accounts, 1), 0) < 2 OR array_length(p_accounts, 1) <> array_length(p_amounts, 1) THEN
    RAISE EXCEPTION 'a transfer needs two or more legs, each with an amount' USING ERRCODE = 'DW003';
  END IF;
  IF (SELECT sum(a) FROM unnest(p_amounts) AS a) <> 0 OR EXISTS (SELECT 1 FROM unnest(p_amounts) AS a WHERE a = 0) THEN
    RAISE EXCEPTION 'the legs of a transfer must be non-zero and sum to zero' USING ERRCODE = 'DW003';
  END IF;
  SELECT sum(a) INTO v_total FROM unnest(p_amounts) AS a WHERE a > 0;

  INSERT INTO ledger_transfers (idempotency_key, params_hash, category, operation, amount, description, metadata, refund_of)
  VALUES (p_key, p_params_hash, p_category, p_operation, v_total, p_description, coalesce(p_metadata, '{}'::jsonb), p_refund_of)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;

  IF v_id IS NULL THEN
    SELECT t.id, t.params_hash INTO v_id, v_hash FROM ledger_transfers t WHERE t.idempotency_key = p_key;
    IF v_hash IS DISTINCT FROM p_params_hash THEN
      RAISE EXCEPTION 'idempotency key % was already used for a different request', p_key USING ERRCODE = 'DW002';
    END IF;
    RETURN QUERY SELECT v_id, true;
    RETURN;
  END IF;

  FOR v_leg IN SELECT u.ord FROM unnest(p_accounts) WITH ORDINALITY AS u(account, ord) ORDER BY u.account, u.ord LOOP
    UPDATE ledger_accounts SET balance = balance + p_amounts[v_leg]
    WHERE id = p_accounts[v_leg] AND balance IS NOT NULL AND balance + p_amounts[v_leg] >= 0
    RETURNING balance INTO v_balance;
    IF NOT FOUND THEN
      v_balance := NULL;
      PERFORM 1 FROM ledger_accounts WHERE id = p_accounts[v_leg] AND balance IS NULL;
      IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM ledger_accounts WHERE id = p_accounts[v_leg]) THEN
          RAISE EXCEPTION 'insufficient funds in account %', p_accounts[v_leg] USING ERRCODE = 'DW001';
        END IF;
        RAISE EXCEPTION 'no ledger account %', p_accounts[v_leg] USING ERRCODE = 'DW004';
      END IF;
    END IF;
    INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
    VALUES (v_id, p_accounts[v_leg], p_amounts[v_leg], v_balance);
  END LOOP;

  RETURN QUERY SELECT v_id, false;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are immutable: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'DW005';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
INSERT INTO ledger_accounts (kind) VALUES ('card_clearing'), ('fee_revenue'), ('withdrawals_payable'), ('adjustments')
  ON CONFLICT DO NOTHING;
