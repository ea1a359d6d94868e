-- Schema for the mutation tests (MutationsTest, MutationStatementsTest): small, written by the tests.
--   author  3 rows (ids 1..3); article 4 rows: author 1 has articles 1, 2; author 2 has 3, 4.
DROP TABLE IF EXISTS article, author CASCADE;

CREATE TABLE author (
  id     serial PRIMARY KEY,
  name   text NOT NULL,
  email  text CONSTRAINT author_email_key UNIQUE,
  score  integer NOT NULL DEFAULT 0
);

CREATE TABLE article (
  id         serial PRIMARY KEY,
  author_id  integer NOT NULL REFERENCES author(id),
  title      text NOT NULL,
  rating     integer CONSTRAINT article_rating_range CHECK (rating BETWEEN 0 AND 10),
  tags       jsonb
);

INSERT INTO author (name, email) VALUES ('Ada', 'ada@example.com'), ('Brian', 'brian@example.com'), ('Cleo', NULL);
INSERT INTO article (author_id, title, rating) VALUES (1, 'A1', 3), (1, 'A2', 4), (2, 'B1', 1), (2, 'B2', 2);
SELECT setval('author_id_seq', 100);
SELECT setval('article_id_seq', 100);
