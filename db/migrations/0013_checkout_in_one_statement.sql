-- A checkout paid in full from the wallet (or free) in one statement: no hot row stays locked
-- while the application works.
--
-- Every confirmed checkout of an event takes its seat (events.seats_taken) and bumps its live topic
-- (live_topics). Those two rows are shared by every checkout of the event, and a row stays locked
-- until its transaction commits. Inside a transaction driven statement by statement from the
-- application, the COMMIT goes out only after the application has read the seat statement's answer:
-- under load, a whole turn of a busy event loop. Checkouts then took their seats one per turn
-- (bench:checkout: ~4 of 32 clients waiting on the seat lock, confirmations at a third of the rate
-- of waitlist entries). A single statement commits as soon as it ends.

-- One announcement on a live topic: the topic's next sequence number, the stored event (for
-- clients that reconnect with Last-Event-ID) and the NOTIFY. Used by server/live/announce.ts and
-- by the checkout below. Locks the topic's row until the caller's transaction ends, so sequence
-- numbers follow commit order.
CREATE OR REPLACE FUNCTION live_announce(p_channel text, p_topic text, p_payload jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  v_seq bigint;
BEGIN
  INSERT INTO live_topics (topic, seq) VALUES (p_topic, 1)
  ON CONFLICT (topic) DO UPDATE SET seq = live_topics.seq + 1
  RETURNING seq INTO v_seq;
  INSERT INTO live_events (topic, seq, payload) VALUES (p_topic, v_seq, p_payload);
  PERFORM pg_notify(p_channel, json_build_object('topic', p_topic, 'seq', v_seq)::text);
  RETURN v_seq;
END;
$$;
--> statement-breakpoint

-- The checkout of a new solo or team entry whose fee the wallet pays in full (or that is free),
-- all or nothing, in this order (the order of the application's own checkout transaction, so the
-- two cannot deadlock): the registration (its key, and the one-active-entry indexes, are arbiters:
-- no row means a replay or an entry that already exists, and no row is returned), the promo code's
-- use, the entry-fee transfer (ledger_post_transfers' arguments for a batch of one, or NULLs when
-- nothing is paid), the seat, the announcement, the jobs (graphile-worker job specs as JSON).
-- Refusals raise and undo everything: DW006 with the ledger's outcome as the message (insufficient,
-- conflict), DW007 a used-up promo code, DW008 a full event.
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

  UPDATE events SET seats_taken = seats_taken + 1 WHERE id = p_event_id AND seats_taken < capacity;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'event full' USING ERRCODE = 'DW008';
  END IF;
  PERFORM live_announce(p_channel, p_topic, p_payload);
  PERFORM graphile_worker.add_jobs(array(SELECT json_populate_recordset(null::graphile_worker.job_spec, p_jobs)), false);
  RETURN QUERY SELECT r.wallet_transfer_id, r.created_at, r.confirmed_at FROM registrations r WHERE r.id = p_id;
END;
$$;
