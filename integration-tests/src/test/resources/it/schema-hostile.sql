-- The hostile-input suite's additions to it/schema.sql (loaded after it): a function that sleeps, for the
-- statement timeout, tracked for the anonymous role like any function returning articles.
CREATE FUNCTION slow_articles(seconds float8 DEFAULT 30) RETURNS SETOF article STABLE LANGUAGE sql AS $$
  SELECT a.* FROM article a, pg_sleep(seconds)
$$;
