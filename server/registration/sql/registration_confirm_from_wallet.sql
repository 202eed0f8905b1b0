-- Owned by server/registration. The one source of this function: change it here, then
-- `npm run db:function -- server/registration/sql/registration_confirm_from_wallet.sql` writes the migration that installs it;
-- server/sql-functions.test.ts fails while the latest migration or the database differ.
--
-- A documented exception to "one piece of code per piece of logic": this is the checkout of a
-- new entry paid in full from the wallet (or free), done in one statement so an event's hot rows
-- are never held locked across a round trip (bench:checkout). checkoutInTransaction in
-- server/registration/service.ts does the same for the card path. A change to the rules of a
-- checkout (seats, promo codes, the escrow, the jobs it queues) must be made in both; the money
-- property test (server/registration/money.property.test.ts) drives both paths against one model,
-- and server/registration/checkout-paths.test.ts sends the same new wallet-paid entries through
-- both and compares every row each writes.
CREATE OR REPLACE FUNCTION registration_confirm_from_wallet(
  p_id uuid,
  p_event_id uuid,
  p_user_id uuid,
  p_team_id uuid,
  p_idempotency_key text,
  p_fee bigint,
  p_discount bigint,
  p_promo_code_id uuid,
  p_keys text[],
  p_hashes text[],
  p_categories ledger_transfer_category[],
  p_operations ledger_transfer_operation[],
  p_descriptions text[],
  p_metadata jsonb,
  p_refund_of uuid[],
  p_leg_items int[],
  p_leg_accounts uuid[],
  p_leg_amounts bigint[],
  p_channel text,
  p_topic text,
  p_payload jsonb,
  p_jobs json
)
RETURNS TABLE (wallet_transfer_id uuid, created_at timestamptz, confirmed_at timestamptz)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
  v_transfer uuid;
  v_outcome text;
BEGIN
  INSERT INTO registrations (id, event_id, user_id, team_id, status, idempotency_key, fee, discount,
                             wallet_amount, card_amount, promo_code_id, confirmed_at)
  VALUES (p_id, p_event_id, p_user_id, p_team_id, 'confirmed', p_idempotency_key, p_fee, p_discount,
          p_fee - p_discount, 0, p_promo_code_id, now())
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN;
  END IF;

  IF p_promo_code_id IS NOT NULL THEN
    UPDATE promo_codes SET uses = uses + 1
    WHERE id = p_promo_code_id AND (max_uses IS NULL OR uses < max_uses);
    IF NOT FOUND THEN
      RAISE EXCEPTION 'promo code used up' USING ERRCODE = 'DW007';
    END IF;
  END IF;

  IF p_keys IS NOT NULL THEN
    SELECT t.transfer_id, t.outcome INTO v_transfer, v_outcome
    FROM ledger_post_transfers(p_keys, p_hashes, p_categories, p_operations, p_descriptions, p_metadata,
                               p_refund_of, p_leg_items, p_leg_accounts, p_leg_amounts) t;
    IF v_outcome IS DISTINCT FROM 'posted' AND v_outcome IS DISTINCT FROM 'replayed' THEN
      RAISE EXCEPTION '%', coalesce(v_outcome, 'no outcome') USING ERRCODE = 'DW006';
    END IF;
    UPDATE registrations SET wallet_transfer_id = v_transfer WHERE id = p_id;
  END IF;

  -- The seat, only while registration is open: a bracket started (or an event cancelled) since
  -- the checkout read the event refuses the entry here, under the event row's lock (DW009).
  UPDATE events SET seats_taken = seats_taken + 1
  WHERE id = p_event_id AND seats_taken < capacity AND status = 'published' AND registration_closes_at > now();
  IF NOT FOUND THEN
    IF EXISTS (SELECT 1 FROM events WHERE id = p_event_id AND status = 'published' AND registration_closes_at > now()) THEN
      RAISE EXCEPTION 'event full' USING ERRCODE = 'DW008';
    END IF;
    RAISE EXCEPTION 'registration closed' USING ERRCODE = 'DW009';
  END IF;
  PERFORM live_announce(p_channel, p_topic, p_payload);
  PERFORM graphile_worker.add_jobs(array(SELECT json_populate_recordset(null::graphile_worker.job_spec, p_jobs)), false);
  RETURN QUERY SELECT r.wallet_transfer_id, r.created_at, r.confirmed_at FROM registrations r WHERE r.id = p_id;
END;
$$;
