-- ltree paths (contrib, also in the embedded Postgres) and session-variable lists, for LtreeOperatorsTest.
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE node (
  id int PRIMARY KEY,
  path ltree NOT NULL,
  tags jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO node VALUES
  (1, 'Top', '{"a": 1}'),
  (2, 'Top.Science', '{"b": 1}'),
  (3, 'Top.Science.Astronomy', '{"a": 1, "b": 1}'),
  (4, 'Top.Science.Astronomy.Stars', '{}'),
  (5, 'Top.Hobbies', '{"c": 1}'),
  (6, 'Top.Hobbies.Amateurs_Astronomy', '{}'),
  (7, 'Top.Collections.Pictures.Astronomy', '{}');

-- A function written for Hasura: it reads the session under Hasura's names.
CREATE FUNCTION node_depth_offset(n node, hasura_session json) RETURNS int STABLE LANGUAGE sql AS $$
  SELECT nlevel(n.path) - coalesce((hasura_session ->> 'x-hasura-offset')::int, 0)
$$;
