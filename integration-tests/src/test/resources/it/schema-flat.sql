-- FlatRowsTest (Note [Flat rows] in SqlCompiler): shelves of books of pages, with parents that have no children at each
-- level, a composite and a text primary key, a table without one (its rows may repeat), and values of every kind.
CREATE TABLE shelf (id int PRIMARY KEY, name text, opened timestamptz, open bool);
CREATE TABLE book (code text PRIMARY KEY, shelf_id int REFERENCES shelf (id), title text, price numeric, tags text[], pages_count int8);
CREATE TABLE page (book_code text REFERENCES book (code), number int2, body text, PRIMARY KEY (book_code, number));
CREATE TABLE margin (book_code text, number int2, scribble text);  -- no primary key: two rows may be equal

INSERT INTO shelf VALUES
  (1, 'Fiction', '2024-01-02 03:04:05.678+00', true),
  (2, 'Empty', NULL, false),
  (3, 'Quotes "and" \ backslashes, tabs	and ünïcödé 🙂', '2023-12-31 23:59:59+00', NULL),
  (4, NULL, NULL, true);
INSERT INTO book VALUES
  ('b-1', 1, 'Alpha', 10.50, '{a,b}', 3),
  ('b-2', 1, 'Beta', 0.10, '{}', NULL),
  ('b-3', 1, NULL, NULL, NULL, 0),
  ('b-4', 3, 'Line
break', 12345678901234567890.000001, '{"x y"}', 9007199254740993),
  ('b-5', 4, 'Gamma', 1, '{c}', 1);
INSERT INTO page VALUES
  ('b-1', 1, 'one'), ('b-1', 2, 'two'), ('b-1', 3, NULL),
  ('b-2', 1, 'beta one'),
  ('b-4', 7, E'control \u0001 char'), ('b-4', 1, 'first');
INSERT INTO margin VALUES
  ('b-1', 1, 'same'), ('b-1', 1, 'same'), ('b-1', 2, NULL), ('b-4', 7, 'x');
