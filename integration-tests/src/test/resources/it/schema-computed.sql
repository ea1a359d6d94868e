-- Computed fields (ComputedFieldsTest): functions of an author's row.
CREATE TABLE author (id int PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL);
CREATE TABLE article (id int PRIMARY KEY, author_id int NOT NULL REFERENCES author, title text NOT NULL,
                      year int NOT NULL, published boolean NOT NULL);

INSERT INTO author VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');
INSERT INTO article VALUES
  (1, 1, 'Notes', 1843, true), (2, 1, 'Sketch', 1850, false), (3, 1, 'Engine', 1852, true), (4, 1, 'Loom', 1860, true),
  (5, 2, 'Computable Numbers', 1936, true), (6, 2, 'Morphogenesis', 1952, false);

CREATE FUNCTION author_full_name(a author) RETURNS text STABLE LANGUAGE sql AS $$
  SELECT a.first_name || ' ' || a.last_name
$$;

CREATE FUNCTION author_initials(a author, separator text DEFAULT '.') RETURNS text IMMUTABLE LANGUAGE sql AS $$
  SELECT left(a.first_name, 1) || separator || left(a.last_name, 1) || separator
$$;

CREATE FUNCTION author_recent_articles(a author, since int) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE article.author_id = a.id AND article.year >= since
$$;

CREATE FUNCTION author_is_me(a author, hasura_session json) RETURNS boolean STABLE LANGUAGE sql AS $$
  SELECT (hasura_session ->> 'x-joinery-user-id')::int = a.id
$$;

CREATE FUNCTION author_all_articles(a author) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT * FROM article WHERE article.author_id = a.id
$$;

CREATE FUNCTION author_profile(a author) RETURNS jsonb IMMUTABLE LANGUAGE sql AS $$
  SELECT jsonb_build_object('first', a.first_name)
$$;
