-- Joinery demo dataset: 5 authors, 12 articles, 25 comments in schema public.
-- Deterministic and idempotent: it drops what it creates, so it can be loaded again.
DROP TABLE IF EXISTS public.comment, public.article, public.author CASCADE;
SET search_path = public;

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
  rating     integer CHECK (rating BETWEEN 1 AND 5),
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

INSERT INTO author (id, name, email, created_at) VALUES
  (1, 'Ada Lovelace',    'ada@example.com',     '2024-01-05 09:00:00+00'),
  (2, 'Alan Turing',     'alan@example.com',    '2024-01-12 10:30:00+00'),
  (3, 'Grace Hopper',    'grace@example.com',   '2024-02-01 08:15:00+00'),
  (4, 'Edsger Dijkstra', NULL,                  '2024-02-20 14:00:00+00'),
  (5, 'Barbara Liskov',  'barbara@example.com', NULL);

INSERT INTO article (id, author_id, title, body, rating, published, tags, metadata, created_at) VALUES
  (1,  1, 'Notes on the Analytical Engine', 'The engine weaves algebraic patterns.',        5, true,  '{history,computing}',   '{"words": 1200, "featured": true}',  '2024-03-01 09:00:00+00'),
  (2,  1, 'Bernoulli Numbers by Machine',   'A first program, step by step.',              4, true,  '{math,programs}',       '{"words": 800}',                     '2024-03-04 09:00:00+00'),
  (3,  1, 'Poetical Science',               NULL,                                          NULL, false, '{essay}',             NULL,                                 '2024-03-09 09:00:00+00'),
  (4,  2, 'On Computable Numbers',          'A machine that reads and writes a tape.',     5, true,  '{math,theory}',         '{"words": 3600, "featured": true}',  '2024-03-02 11:00:00+00'),
  (5,  2, 'Computing Machinery and Intelligence', 'Can machines think?',                   5, true,  '{ai,essay}',            '{"words": 2900}',                    '2024-03-06 11:00:00+00'),
  (6,  2, 'Morphogenesis',                  'Reaction and diffusion make patterns.',       3, false, '{biology}',             '{"words": 1500, "draft": true}',     '2024-03-11 11:00:00+00'),
  (7,  3, 'The First Bug',                  'A moth in relay 70, panel F.',                4, true,  '{history,debugging}',   '{"words": 400}',                     '2024-03-03 08:00:00+00'),
  (8,  3, 'Compilers for Everyone',         'Programs written in words, not symbols.',     5, true,  '{compilers}',           '{"words": 2100, "featured": true}',  '2024-03-08 08:00:00+00'),
  (9,  3, 'Nanoseconds',                    'A wire as long as light goes in one.',        3, true,  '{}',                    NULL,                                 '2024-03-12 08:00:00+00'),
  (10, 4, 'Go To Statement Considered Harmful', 'Structure is what keeps programs clear.', 4, true,  '{programs,style}',      '{"words": 1100}',                    '2024-03-05 13:00:00+00'),
  (11, 4, 'Shortest Paths',                 'One node at a time, the nearest first.',      5, true,  '{graphs,math}',         '{"words": 900, "featured": true}',   '2024-03-10 13:00:00+00'),
  (12, 5, 'Data Abstraction',               NULL,                                          2, false, NULL,                    '{"words": 0, "draft": true}',        NULL);

-- 25 comments: comment i is on article 1 + (i * 5) % 12 by author 1 + (i * 2) % 5.
INSERT INTO comment (id, article_id, author_id, body, created_at)
SELECT i, 1 + (i * 5) % 12, 1 + (i * 2) % 5,
       (ARRAY['Great read.', 'I disagree with the second part.', 'Thanks for writing this.',
              'Could you expand on this?', 'Bookmarked.'])[1 + i % 5] || ' (#' || i || ')',
       timestamptz '2024-04-01 00:00:00+00' + i * interval '3 hours'
FROM generate_series(1, 25) AS i;

SELECT setval(pg_get_serial_sequence('author', 'id'), (SELECT max(id) FROM author));
SELECT setval(pg_get_serial_sequence('article', 'id'), (SELECT max(id) FROM article));
SELECT setval(pg_get_serial_sequence('comment', 'id'), (SELECT max(id) FROM comment));
