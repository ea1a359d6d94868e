-- Integration-test schema, loaded into a fresh database per test class (TestDatabase.load("/it/schema.sql")).
-- Deterministic: the same rows every time. The formulas are the spec; the counts below are asserted in
-- TestDatabaseTest.
--   author  10 rows; author 10 has no articles (but writes comments); some NULL email / created_at.
--   article 30 rows; author 1 + (i * 7) % 9, so authors 1..9 have 3 or 4 each; rating 1 + (i * 3) % 5
--           except NULL when i % 7 = 0 (duplicates for distinct_on); body NULL when i % 10 = 0;
--           tags NULL, '{}' or values by i % 4; metadata NULL when i % 5 = 0; created_at NULL when i % 11 = 0.
--   comment 60 rows; article 1 + (i * 13) % 29, so article 30 has none; author 1 + (i * 3) % 10.
--   all_types 3 rows, one column of each supported type; row 3 NULL but for its key.
--   odd_columns: column names that are not GraphQL names ("first name", "2nd").
DROP TABLE IF EXISTS comment, article, author, all_types, odd_columns CASCADE;
DROP TYPE IF EXISTS mood CASCADE;

CREATE TABLE author (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  email      text UNIQUE,
  created_at timestamptz
);

CREATE TABLE article (
  id         serial PRIMARY KEY,
  author_id  integer NOT NULL REFERENCES author(id),
  title      text NOT NULL,
  body       text,
  rating     integer,
  published  boolean NOT NULL DEFAULT false,
  tags       text[],
  metadata   jsonb,
  created_at timestamptz
);

CREATE TABLE comment (
  id         serial PRIMARY KEY,
  article_id integer NOT NULL REFERENCES article(id),
  author_id  integer NOT NULL REFERENCES author(id),
  body       text NOT NULL,
  created_at timestamptz
);

CREATE INDEX article_author_id_idx ON article(author_id);
CREATE INDEX comment_article_id_idx ON comment(article_id);
CREATE INDEX comment_author_id_idx ON comment(author_id);

-- Name order differs from id order on purpose.
INSERT INTO author (id, name, email, created_at) VALUES
  (1,  'Margaret', 'margaret@example.com', '2023-01-01 10:00:00+00'),
  (2,  'Alan',     'alan@example.com',     '2023-01-02 10:00:00+00'),
  (3,  'Grace',    NULL,                   '2023-01-03 10:00:00+00'),
  (4,  'Edsger',   'edsger@example.com',   '2023-01-04 10:00:00+00'),
  (5,  'Barbara',  'barbara@example.com',  NULL),
  (6,  'Donald',   'donald@example.com',   '2023-01-06 10:00:00+00'),
  (7,  'Frances',  NULL,                   '2023-01-07 10:00:00+00'),
  (8,  'Ken',      'ken@example.com',      '2023-01-08 10:00:00+00'),
  (9,  'Ada',      'ada@example.com',      '2023-01-09 10:00:00+00'),
  (10, 'Linus',    'linus@example.com',    '2023-01-10 10:00:00+00');

INSERT INTO article (id, author_id, title, body, rating, published, tags, metadata, created_at)
SELECT i,
       1 + (i * 7) % 9,
       'Article ' || i,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'Body of article ' || i END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 1 + (i * 3) % 5 END,
       i % 3 <> 0,
       CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '{}'::text[] WHEN 2 THEN '{graphql,postgres}' ELSE '{java}' END,
       CASE WHEN i % 5 = 0 THEN NULL
            ELSE jsonb_build_object('words', i * 100, 'featured', i % 2 = 0, 'topic', (ARRAY['db', 'api', 'ops'])[1 + i % 3]) END,
       CASE WHEN i % 11 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' + i * interval '1 day' END
FROM generate_series(1, 30) AS i;

INSERT INTO comment (id, article_id, author_id, body, created_at)
SELECT i,
       1 + (i * 13) % 29,
       1 + (i * 3) % 10,
       'Comment ' || i,
       CASE WHEN i % 13 = 0 THEN NULL ELSE timestamptz '2024-03-01 00:00:00+00' + i * interval '1 hour' END
FROM generate_series(1, 60) AS i;

SELECT setval(pg_get_serial_sequence('author', 'id'), 10);
SELECT setval(pg_get_serial_sequence('article', 'id'), 30);
SELECT setval(pg_get_serial_sequence('comment', 'id'), 60);

CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');

CREATE TABLE all_types (
  id             integer PRIMARY KEY,
  c_smallint     smallint,
  c_integer      integer,
  c_bigint       bigint,
  c_numeric      numeric(10,2),
  c_real         real,
  c_double       double precision,
  c_text         text,
  c_varchar      varchar(20),
  c_char         char(3),
  c_boolean      boolean,
  c_uuid         uuid,
  c_date         date,
  c_time         time,
  c_timetz       timetz,
  c_timestamp    timestamp,
  c_timestamptz  timestamptz,
  c_json         json,
  c_jsonb        jsonb,
  c_int_array    integer[],
  c_text_array   text[],
  c_mood         mood
);

INSERT INTO all_types VALUES
  (1, 1, 42, 9007199254740993, 1234.50, 1.5, 2.25, 'hello', 'short text', 'abc', true,
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '13:45:30', '13:45:30+02', '2024-02-29 13:45:30.123456',
   '2024-02-29 13:45:30.123456+00', '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2]}', '{1,2,3}', '{x,"y z"}', 'happy'),
  (2, -32768, -2147483648, -9223372036854775808, -99999999.99, -0.25, 1e-300, 'quote '' backslash \ unicode é ☃', '', 'x', false,
   '00000000-0000-0000-0000-000000000000', '1970-01-01', '00:00:00', '23:59:59.999999-05', '1999-12-31 23:59:59',
   '1970-01-01 00:00:00+00', '[]', 'null', '{}', '{NULL,""}', 'meh'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE odd_columns (
  id           integer PRIMARY KEY,
  "first name" text,
  "2nd"        integer,
  ok           text
);

INSERT INTO odd_columns VALUES (1, 'Ada', 2, 'fine'), (2, NULL, NULL, 'also fine');
