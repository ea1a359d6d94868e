-- MutationBenchmark's table: notes, 2000 of them to update by key; inserts add more.
DROP SCHEMA IF EXISTS bench_mut CASCADE;
CREATE SCHEMA bench_mut;
CREATE TABLE bench_mut.note (
  id         bigserial PRIMARY KEY,
  author_id  integer NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL,
  rating     integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bench_mut.note (author_id, title, body, rating)
SELECT g % 200, 'note ' || g, repeat('body ', 20), g % 5 FROM generate_series(1, 2000) g;
