-- Tracked functions (TrackedFunctionsTest): SQL functions returning articles, as query root fields.
CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE article (id int PRIMARY KEY, author_id int NOT NULL REFERENCES author, title text NOT NULL,
                      year int NOT NULL, published boolean NOT NULL);
CREATE TABLE secret (id int PRIMARY KEY, note text NOT NULL);

INSERT INTO author VALUES (1, 'Ada'), (2, 'Alan');
INSERT INTO article VALUES
  (1, 1, 'Notes on the Engine', 1843, true), (2, 1, 'Engine sketch', 1850, false), (3, 1, 'The Loom', 1852, true),
  (4, 2, 'Computable Numbers', 1936, true), (5, 2, 'Engine of Morphogenesis', 1952, false);
INSERT INTO secret VALUES (1, 'hidden');

CREATE FUNCTION search_articles(search text) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE title ILIKE '%' || search || '%'
$$;

CREATE FUNCTION articles_since(since int DEFAULT 1900) RETURNS SETOF article IMMUTABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE year >= since
$$;

CREATE FUNCTION my_articles(hasura_session json) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE author_id = (hasura_session ->> 'x-joinery-user-id')::int
$$;

CREATE FUNCTION old_articles() RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE year < 1900
$$;

CREATE FUNCTION all_secrets() RETURNS SETOF secret STABLE LANGUAGE sql AS $$
  SELECT * FROM secret
$$;

-- A table row among the arguments: a root field takes it as a row literal, a computed field of author passes its row.
CREATE FUNCTION articles_by(author_row author, search text DEFAULT '') RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE author_id = author_row.id AND title ILIKE '%' || search || '%'
$$;
