SELECT id FROM backup WHERE id = (SELECT id FROM backup WHERE instance_id = 1 AND status = 'SUCCESS' ORDER BY finished_at DESC, id DESC LIMIT 1)
 OR id = (SELECT id FROM backup WHERE instance_id = 1 AND status = 'SUCCESS' AND suspicious = 0 ORDER BY finished_at DESC, id DESC LIMIT 1)
 ORDER BY finished_at DESC, id DESC;
