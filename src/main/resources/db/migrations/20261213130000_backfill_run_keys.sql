-- // backfill run keys
-- Backup records written before run keys (20261212190000) had none, so the end of a run an older
-- node had marked interrupted deleted that record first, a second path beside the key's. Each run's
-- record gets the key its run has (instance/start/node, as RunKeys writes it), so the key alone
-- finds it. Only runs' records (manual, scheduled); imported, recovered and adopted ones never meet
-- a run's end. Two rows of one run (an end and an interrupted mark both written, before keys made
-- that one row) keep one key, the end's (else the older row's); the other stays without one, which
-- a unique index does not compare, and no end is written of that run again.
UPDATE backup
SET run_key = 'backup/' || instance_id || '/' || started_at || '/' || COALESCE(node, '')
WHERE run_key IS NULL
  AND trigger_kind IN ('MANUAL', 'SCHEDULED')
  AND NOT EXISTS (
    SELECT 1
    FROM backup p
    WHERE p.id <> backup.id
      AND p.instance_id = backup.instance_id
      AND p.started_at = backup.started_at
      AND COALESCE(p.node, '') = COALESCE(backup.node, '')
      AND (p.run_key IS NOT NULL
        OR p.trigger_kind IN ('MANUAL', 'SCHEDULED')
          AND ((CASE WHEN p.status = 'FAILED' AND p.error_code = 'interrupted' THEN 1 ELSE 0 END)
                 < (CASE WHEN backup.status = 'FAILED' AND backup.error_code = 'interrupted' THEN 1 ELSE 0 END)
            OR (CASE WHEN p.status = 'FAILED' AND p.error_code = 'interrupted' THEN 1 ELSE 0 END)
                 = (CASE WHEN backup.status = 'FAILED' AND backup.error_code = 'interrupted' THEN 1 ELSE 0 END)
              AND p.id < backup.id)));

-- //@UNDO
-- the keys stay: the build before this one writes and reads them the same way
SELECT 1;
