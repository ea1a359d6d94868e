-- Schema for NestedInsertsTest: author → article → comment (three levels), and tag (no role inserts it).
DROP TABLE IF EXISTS comment, tag, article, author CASCADE;

CREATE TABLE author (
  id        serial PRIMARY KEY,
  name      text NOT NULL CONSTRAINT author_name_key UNIQUE,
  owner_id  integer,
  bio       text
);

CREATE TABLE article (
  id         serial PRIMARY KEY,
  author_id  integer NOT NULL REFERENCES author(id),
  title      text NOT NULL,
  rating     integer
);

CREATE TABLE comment (
  id            serial PRIMARY KEY,
  article_id    integer NOT NULL REFERENCES article(id),
  body          text NOT NULL,
  commenter_id  integer
);

CREATE TABLE tag (
  id          serial PRIMARY KEY,
  article_id  integer NOT NULL REFERENCES article(id),
  label       text NOT NULL
);

INSERT INTO author (name) VALUES ('Existing');
SELECT setval('author_id_seq', 100);
SELECT setval('article_id_seq', 100);
SELECT setval('comment_id_seq', 100);
