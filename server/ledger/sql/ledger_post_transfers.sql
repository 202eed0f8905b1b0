-- Owned by server/ledger. The one source of this function: change it here, then
-- `npm run db:function -- server/ledger/sql/ledger_post_transfers.sql` writes the migration that installs it;
-- server/sql-functions.test.ts fails while the latest migration or the database differ.
CREATE OR REPLACE FUNCTION ledger_post_transfers(
  p_keys text[],
  p_hashes text[],
  p_categories ledger_transfer_category[],
  p_operations ledger_transfer_operation[],
  p_descriptions text[],
  p_metadata jsonb,
  p_refund_of uuid[],
  p_leg_items int[],
  p_accounts uuid[],
  p_amounts bigint[]
) RETURNS TABLE (ord int, transfer_id uuid, outcome text)
LANGUAGE plpgsql
-- Plans made once per connection: the statements below only index-probe the tables they touch.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  v_items int := coalesce(array_length(p_keys, 1), 0);
  v_legs int := coalesce(array_length(p_accounts, 1), 0);
  v_ok boolean;
  v_known boolean;
  v_tight boolean;
  v_guarded uuid[];
  v_guard_start bigint[] := '{}';
  v_stored uuid[];
  v_start bigint[];
  v_checked uuid[];
  v_balances bigint[];
  v_posted int[] := '{}';
  v_ids uuid[] := '{}';
  v_overdrawn int[] := '{}';
  v_changed uuid[];
  v_new bigint[];
  v_first int := 1;
  v_last int;
  v_pos int;
  v_total bigint;
  v_short boolean;
  v_over boolean;
  v_id uuid;
BEGIN
  IF v_items = 0 THEN
    RETURN;
  END IF;
  -- One look at the whole batch: its shape, the guarded accounts it takes money from and the
  -- wallets, locked in that order (see above) with the wallets' balances, whether every account
  -- exists, and whether a wallet could run short even if every debit of the batch is posted and
  -- none of its credits (or a key comes twice): then it goes one by one. A batch that only pays
  -- into guarded accounts locks none of them.
  WITH legs AS (
    SELECT l.i, l.a, l.m, l.j FROM unnest(p_leg_items, p_accounts, p_amounts) WITH ORDINALITY AS l(i, a, m, j)
  ), all_locked AS (
    SELECT a.id, a.balance FROM ledger_accounts a
    WHERE a.id = ANY(p_accounts)
      AND (a.balance IS NOT NULL
           OR (NOT ledger_kind_may_go_negative(a.kind) AND a.id = ANY(ARRAY(SELECT l.a FROM legs l WHERE l.m < 0))))
    ORDER BY a.balance IS NOT NULL, a.id FOR UPDATE
  ), locked AS (
    SELECT k.id, k.balance FROM all_locked k WHERE k.balance IS NOT NULL
  )
  SELECT (SELECT count(*) = v_items AND coalesce(bool_and(g.ok), false)
          FROM (SELECT l.i BETWEEN 1 AND v_items AND count(*) >= 2 AND sum(l.m) = 0
                       AND bool_and(l.m IS NOT NULL AND l.m <> 0 AND l.a IS NOT NULL)
                       AND max(l.j) - min(l.j) = count(*) - 1 AS ok
                FROM legs l GROUP BY l.i) g),
         coalesce((SELECT array_agg(k.id ORDER BY k.id) FROM locked k), '{}'),
         coalesce((SELECT array_agg(k.balance ORDER BY k.id) FROM locked k), '{}'),
         coalesce((SELECT array_agg(k.id ORDER BY k.id) FROM all_locked k WHERE k.balance IS NULL), '{}'),
         (SELECT count(*) FROM ledger_accounts a WHERE a.id = ANY(p_accounts))
           = (SELECT count(DISTINCT l.a) FROM legs l),
         EXISTS (SELECT 1 FROM legs l JOIN locked k ON k.id = l.a
                 GROUP BY k.id, k.balance HAVING k.balance + sum(least(l.m, 0)) < 0)
           OR (SELECT count(DISTINCT key) FROM unnest(p_keys) AS key) <> v_items
  INTO v_ok, v_stored, v_start, v_guarded, v_known, v_tight;
  IF NOT v_ok OR array_length(p_hashes, 1) IS DISTINCT FROM v_items OR array_length(p_categories, 1) IS DISTINCT FROM v_items
     OR array_length(p_operations, 1) IS DISTINCT FROM v_items OR array_length(p_descriptions, 1) IS DISTINCT FROM v_items
     OR jsonb_array_length(p_metadata) IS DISTINCT FROM v_items OR array_length(p_refund_of, 1) IS DISTINCT FROM v_items
     OR array_length(p_leg_items, 1) IS DISTINCT FROM v_legs OR array_length(p_amounts, 1) IS DISTINCT FROM v_legs THEN
    RAISE EXCEPTION 'a transfer needs two or more non-zero legs that sum to zero' USING ERRCODE = 'DW003';
  END IF;
  IF NOT v_known THEN
    RAISE EXCEPTION 'a transfer names an account that does not exist' USING ERRCODE = 'DW004';
  END IF;
  IF cardinality(v_guarded) > 0 THEN
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
      RAISE EXCEPTION 'money out of a platform account cannot be checked under REPEATABLE READ' USING ERRCODE = '0A000';
    END IF;
    -- The guarded accounts' balances, in a statement after the one that locked them (see above),
    -- and whether one could run short in the same way as a wallet.
    SELECT array_agg(g.balance ORDER BY g.id),
           v_tight OR bool_or(g.balance + (SELECT sum(least(l.m, 0)) FROM unnest(p_accounts, p_amounts) AS l(a, m)
                                           WHERE l.a = g.id) < 0)
    INTO v_guard_start, v_tight
    FROM (SELECT g.id, (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e WHERE e.account_id = g.id)::bigint AS balance
          FROM unnest(v_guarded) AS g(id)) g;
  END IF;

  IF NOT v_tight THEN
    -- No transfer's outcome depends on another's: the batch goes in as a set, in one statement
    -- (transfers, their entries with the balance each wallet leg left, the wallets).
    WITH legs AS (
      SELECT l.i, l.a, l.m, l.j FROM unnest(p_leg_items, p_accounts, p_amounts) WITH ORDINALITY AS l(i, a, m, j)
    ), ins AS (
      INSERT INTO ledger_transfers (idempotency_key, params_hash, category, operation, amount, description, metadata, refund_of)
      SELECT b.key, b.hash, b.cat, b.op, t.amount, b.descr, p_metadata -> (b.i::int - 1), b.ref
      FROM unnest(p_keys, p_hashes, p_categories, p_operations, p_descriptions, p_refund_of)
             WITH ORDINALITY AS b(key, hash, cat, op, descr, ref, i)
      JOIN (SELECT l.i, sum(l.m) FILTER (WHERE l.m > 0) AS amount FROM legs l GROUP BY l.i) t ON t.i = b.i
      ORDER BY b.i
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, idempotency_key
    ), posted AS (
      SELECT b.i::int AS i, ins.id FROM ins JOIN unnest(p_keys) WITH ORDINALITY AS b(key, i) ON b.key = ins.idempotency_key
    ), entries AS (
      INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
      SELECT p.id, l.a, l.m, s.b + sum(l.m) OVER (PARTITION BY l.a ORDER BY l.j)
      FROM legs l JOIN posted p ON p.i = l.i
      LEFT JOIN unnest(v_stored, v_start) AS s(id, b) ON s.id = l.a
      ORDER BY l.j
    ), moved AS (
      UPDATE ledger_accounts a SET balance = a.balance + d.delta
      FROM (SELECT l.a, sum(l.m) AS delta FROM legs l JOIN posted p ON p.i = l.i
            WHERE l.a = ANY(v_stored) GROUP BY l.a) d
      WHERE a.id = d.a AND d.delta <> 0
    )
    SELECT coalesce(array_agg(p.i ORDER BY p.i), '{}'), coalesce(array_agg(p.id ORDER BY p.i), '{}')
    INTO v_posted, v_ids
    FROM posted p;
  ELSE
    -- A wallet or guarded account might run short: transfers are decided one by one, in order,
    -- each against the balances the transfers before it left. A key already used is answered
    -- below, untouched. v_checked holds the wallets first, then the guarded accounts.
    v_checked := v_stored || v_guarded;
    v_balances := v_start || v_guard_start;
    FOR i IN 1..v_items LOOP
      v_last := v_first;
      WHILE v_last < v_legs AND p_leg_items[v_last + 1] = i LOOP v_last := v_last + 1; END LOOP;
      PERFORM 1 FROM ledger_transfers t WHERE t.idempotency_key = p_keys[i];
      IF NOT FOUND THEN
        v_short := false;
        v_over := false;
        FOR v_leg IN v_first..v_last LOOP
          v_pos := array_position(v_checked, p_accounts[v_leg]);
          IF v_pos IS NOT NULL THEN
            v_balances[v_pos] := v_balances[v_pos] + p_amounts[v_leg];
            IF v_balances[v_pos] < 0 THEN
              IF v_pos <= cardinality(v_stored) THEN v_short := true; ELSE v_over := true; END IF;
            END IF;
          END IF;
        END LOOP;
        v_id := NULL;
        IF NOT v_short AND NOT v_over THEN
          SELECT sum(m) INTO v_total FROM unnest(p_amounts[v_first:v_last]) AS m WHERE m > 0;
          INSERT INTO ledger_transfers (idempotency_key, params_hash, category, operation, amount, description, metadata, refund_of)
          VALUES (p_keys[i], p_hashes[i], p_categories[i], p_operations[i], v_total, p_descriptions[i],
                  p_metadata -> (i - 1), p_refund_of[i])
          ON CONFLICT (idempotency_key) DO NOTHING
          RETURNING id INTO v_id;
        ELSIF NOT v_short THEN
          v_overdrawn := array_append(v_overdrawn, i);
        END IF;
        IF v_id IS NULL THEN
          FOR v_leg IN v_first..v_last LOOP
            v_pos := array_position(v_checked, p_accounts[v_leg]);
            IF v_pos IS NOT NULL THEN v_balances[v_pos] := v_balances[v_pos] - p_amounts[v_leg]; END IF;
          END LOOP;
        ELSE
          v_posted := array_append(v_posted, i);
          v_ids := array_append(v_ids, v_id);
        END IF;
      END IF;
      v_first := v_last + 1;
    END LOOP;

    -- The wallets that moved (only wallets keep a stored balance), and the entries of the posted
    -- transfers.
    SELECT array_agg(s.id), array_agg(s.b) INTO v_changed, v_new
    FROM unnest(v_stored, v_start, v_balances[1:cardinality(v_stored)]) AS s(id, b0, b) WHERE s.b <> s.b0;
    IF v_changed IS NOT NULL THEN
      UPDATE ledger_accounts a SET balance = v_new[array_position(v_changed, a.id)] WHERE a.id = ANY(v_changed);
    END IF;
    INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
    SELECT p.id, l.a, l.m, s.b + sum(l.m) OVER (PARTITION BY l.a ORDER BY l.j)
    FROM unnest(p_leg_items, p_accounts, p_amounts) WITH ORDINALITY AS l(i, a, m, j)
    JOIN unnest(v_posted, v_ids) AS p(i, id) ON p.i = l.i
    LEFT JOIN unnest(v_stored, v_start) AS s(id, b) ON s.id = l.a
    ORDER BY l.j;
  END IF;

  -- Each transfer's outcome; one not posted is a replay, a conflict, or short of money (a wallet:
  -- insufficient; a guarded account: overdrawn).
  RETURN QUERY
  SELECT b.i::int,
         coalesce(p.id, CASE WHEN t.params_hash = b.hash THEN t.id END),
         CASE WHEN p.id IS NOT NULL THEN 'posted'
              WHEN t.id IS NULL AND b.i::int = ANY(v_overdrawn) THEN 'overdrawn'
              WHEN t.id IS NULL THEN 'insufficient'
              WHEN t.params_hash = b.hash THEN 'replayed'
              ELSE 'conflict' END
  FROM unnest(p_keys, p_hashes) WITH ORDINALITY AS b(key, hash, i)
  LEFT JOIN unnest(v_posted, v_ids) AS p(i, id) ON p.i = b.i
  LEFT JOIN LATERAL (SELECT t.id, t.params_hash FROM ledger_transfers t
                     WHERE p.id IS NULL AND t.idempotency_key = b.key LIMIT 1) t ON true
  ORDER BY b.i;
END;
$$;
