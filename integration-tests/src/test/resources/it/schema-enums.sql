-- Enum tables (is_enum in it/metadata-enums.yaml), loaded into a fresh database by EnumTablesTest and EnumDriftTest.
--   article_status  an enum table: three values, ARCHIVED without a description
--   article_kind    marked is_enum but not one: 'long read' is not a GraphQL name, so it stays a plain table
--   article         status (NOT NULL) and previous_status reference article_status, kind article_kind
--   status_note     a primary key that references article_status
DROP TABLE IF EXISTS status_note, article, article_kind, article_status CASCADE;

CREATE TABLE article_status (
  value   text PRIMARY KEY,
  comment text
);
INSERT INTO article_status (value, comment) VALUES
  ('DRAFT', 'Not visible yet'),
  ('PUBLISHED', 'Visible to everyone'),
  ('ARCHIVED', NULL);

CREATE TABLE article_kind (
  value text PRIMARY KEY
);
INSERT INTO article_kind (value) VALUES ('news'), ('long read');

CREATE TABLE article (
  id              integer PRIMARY KEY,
  title           text NOT NULL,
  status          text NOT NULL REFERENCES article_status,
  previous_status text REFERENCES article_status,
  kind            text REFERENCES article_kind
);
INSERT INTO article (id, title, status, previous_status, kind) VALUES
  (1, 'Enums in GraphQL', 'PUBLISHED', 'DRAFT', 'news'),
  (2, 'Lookup tables',    'DRAFT',     NULL,    'long read'),
  (3, 'Old news',         'ARCHIVED',  'PUBLISHED', 'news'),
  (4, 'Hasura enums',     'PUBLISHED', 'DRAFT', NULL),
  (5, 'Work in progress', 'DRAFT',     NULL,    NULL);

CREATE TABLE status_note (
  status text PRIMARY KEY REFERENCES article_status,
  note   text NOT NULL
);
INSERT INTO status_note (status, note) VALUES ('DRAFT', 'edit freely'), ('PUBLISHED', 'edits are visible');
