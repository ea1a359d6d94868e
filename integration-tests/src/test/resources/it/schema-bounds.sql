-- Bounded database work (DatabaseBoundsTest): authors and articles related both ways, so a `where`
-- can nest relationships as deep as a caller likes, and a tracked function that sleeps.
CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE article (id int PRIMARY KEY, author_id int NOT NULL REFERENCES author, title text NOT NULL, metadata jsonb);

INSERT INTO author VALUES (1, 'Ada'), (2, 'Alan');
INSERT INTO article VALUES (1, 1, 'Notes on the Engine', '{"tags": ["engine"]}'), (2, 2, 'Computable Numbers', NULL);

-- Sleeps `seconds` once, then returns every article: a statement as slow as a test needs.
CREATE FUNCTION slow_articles(seconds float8) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT article.* FROM pg_sleep(seconds), article
$$;
