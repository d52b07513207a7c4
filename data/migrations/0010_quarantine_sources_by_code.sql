-- Quarantine sources name a survey by its code, as the README documents (screen:seoul-2026,
-- submission:seoul-2026, bulk:seoul-2026:…); records kept earlier named it by its id.
UPDATE quarantine SET source = split_part(source, ':', 1) || ':' || s.code
FROM surveys s
WHERE quarantine.source IN ('screen:' || s.survey_id, 'submission:' || s.survey_id);

UPDATE quarantine SET source = 'bulk:' || s.code || substr(quarantine.source, length('bulk:' || s.survey_id) + 1)
FROM surveys s
WHERE starts_with(quarantine.source, 'bulk:' || s.survey_id || ':');
