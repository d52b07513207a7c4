-- Questionnaires become numbered versions that survey managers upload (issue 13): the table of
-- 0004 is rebuilt with a version number per questionnaire (1, 2, … in the order the files were
-- first stored), the file's format, who stored it, when, and a note. A file is still keyed by
-- the SHA-256 of its bytes, so the same file is never a second version; `definition` keeps the
-- file itself (YAML text, or base64 of a workbook) and surveys still point at `source_hash`.
CREATE TABLE questionnaire_versions_13 (
    source_hash      VARCHAR PRIMARY KEY,   -- SHA-256 of the file's bytes
    questionnaire_id VARCHAR NOT NULL,
    version_no       INTEGER NOT NULL,      -- 1, 2, … per questionnaire_id
    version          VARCHAR NOT NULL,      -- the version the file itself declares
    title_ko         VARCHAR NOT NULL,
    title_en         VARCHAR,
    file_name        VARCHAR NOT NULL,
    format           VARCHAR NOT NULL,      -- yaml | xlsx | xls
    definition       VARCHAR NOT NULL,      -- the file itself (YAML text, or base64 of a workbook)
    uploaded_by      VARCHAR,               -- NULL: stored when a survey was opened on the file
    uploaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note             VARCHAR,
    UNIQUE (questionnaire_id, version_no)
);
INSERT INTO questionnaire_versions_13 (
    source_hash, questionnaire_id, version_no, version, title_ko, title_en, file_name, format,
    definition, uploaded_by, uploaded_at, note
)
SELECT
    source_hash,
    questionnaire_id,
    row_number() OVER (PARTITION BY questionnaire_id ORDER BY loaded_at, source_hash),
    version,
    title_ko,
    title_en,
    file_name,
    CASE
        WHEN lower(file_name) LIKE '%.xlsx' THEN 'xlsx'
        WHEN lower(file_name) LIKE '%.xls' THEN 'xls'
        ELSE 'yaml'
    END,
    definition,
    NULL,
    loaded_at,
    NULL
FROM questionnaire_versions;
DROP TABLE questionnaire_versions;
ALTER TABLE questionnaire_versions_13 RENAME TO questionnaire_versions;
