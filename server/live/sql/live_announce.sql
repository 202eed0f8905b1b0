-- Owned by server/live. The one source of this function: change it here, then
-- `npm run db:function -- server/live/sql/live_announce.sql` writes the migration that installs it;
-- server/sql-functions.test.ts fails while the latest migration or the database differ.
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
